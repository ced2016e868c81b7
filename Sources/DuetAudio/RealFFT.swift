import CKissFFT
import Foundation

/// Forward real-input FFT of a fixed even length on kissfft (Debian's libkissfft, float build).
///
/// `X[k] = sum_n x[n] exp(-2 pi i k n / N)` for `k = 0 ... N/2`, unnormalised, like `numpy.fft.rfft`.
/// Not thread-safe: give each thread its own instance.
public final class RealFFT {
    /// Transform length `N` (even).
    public let length: Int
    private let configuration: kiss_fftr_cfg
    private var spectrum: [kiss_fft_cpx]

    public init(length: Int) {
        precondition(length > 0 && length % 2 == 0, "kissfft's real transform needs an even length, got \(length)")
        self.length = length
        guard let configuration = kiss_fftr_alloc(Int32(length), 0, nil, nil) else {
            preconditionFailure("kiss_fftr_alloc(\(length)) returned no memory")
        }
        self.configuration = configuration
        spectrum = [kiss_fft_cpx](repeating: kiss_fft_cpx(), count: length / 2 + 1)
    }

    deinit { free(UnsafeMutableRawPointer(configuration)) }

    /// Writes `|X[k]|^2` for `k = 0 ... N/2` of the `length` samples at `input` into `power`.
    public func powerSpectrum(_ input: UnsafePointer<Float>, into power: UnsafeMutablePointer<Float>) {
        spectrum.withUnsafeMutableBufferPointer { spectrum in
            kiss_fftr(configuration, input, spectrum.baseAddress)
            for bin in 0..<spectrum.count {
                let value = spectrum[bin]
                power[bin] = value.r * value.r + value.i * value.i
            }
        }
    }
}
