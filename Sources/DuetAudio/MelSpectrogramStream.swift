/// Streaming mel power spectrogram, frame for frame identical to
/// `librosa.feature.melspectrogram(y, sr, n_fft, hop_length, n_mels, fmin, fmax)` in librosa 0.8.1:
/// centred frames on a signal reflect-padded by `N/2` at both ends (`numpy.pad(mode="reflect")`),
/// periodic Hann window `w[n] = 0.5 - 0.5 cos(2 pi n / N)`, power `|X[k]|^2`, then the Slaney mel bank.
///
/// Feed any chunking of the signal with `append(_:)` and end with `finish()`; the output is
/// `[time, mel]` row-major power (no log) and the frame count is `1 + sampleCount / hop`.
/// Memory stays bounded by one FFT frame plus the chunk.
public final class MelSpectrogramStream {
    public let configuration: LogMelConfiguration
    public let filterBank: MelFilterBank
    private let fft: RealFFT
    private let window: [Float]
    private let halfWindow: Int
    /// Padded signal not yet consumed; `position` indexes the next frame's first sample.
    private var pending: [Float] = []
    private var position = 0
    private var started = false
    private var sampleCount = 0
    private var frame: [Float]
    private var power: [Float]

    public init(configuration: LogMelConfiguration = .musicnn) {
        self.configuration = configuration
        let size = configuration.fftSize
        fft = RealFFT(length: size)
        filterBank = MelFilterBank(
            sampleRate: configuration.sampleRate, fftSize: size, bandCount: configuration.melBandCount,
            minimumFrequency: configuration.minimumFrequency, maximumFrequency: configuration.maximumFrequency)
        // Computed in double and rounded once, as scipy.signal.get_window("hann", N, fftbins=True).
        window = (0..<size).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(size))) }
        halfWindow = size / 2
        frame = [Float](repeating: 0, count: size)
        power = [Float](repeating: 0, count: size / 2 + 1)
    }

    /// Adds samples; returns the mel frames completed by them (possibly none).
    public func append(_ samples: [Float]) -> [Float] {
        sampleCount += samples.count
        pending.append(contentsOf: samples)
        if !started {
            // Left reflect padding needs x[1 ... N/2]; wait until they have arrived.
            guard pending.count > halfWindow else { return [] }
            let reflected = (1...halfWindow).reversed().map { pending[$0] }
            pending.insert(contentsOf: reflected, at: 0)
            started = true
        }
        return drainFrames()
    }

    /// Ends the signal (right reflect padding) and returns the last frames.
    public func finish() -> [Float] {
        if !started {
            // Short signal (at most N/2 samples): numpy's reflect padding repeats the reflection.
            let signal = pending
            let count = signal.count
            guard count > 0 else { return [] }
            let period = max(1, 2 * (count - 1))
            pending = (0..<(count + 2 * halfWindow)).map { padded in
                guard count > 1 else { return signal[0] }
                var index = abs(padded - halfWindow) % period
                if index >= count { index = period - index }
                return signal[index]
            }
            position = 0
            started = true
        } else {
            let end = pending.count
            pending.append(contentsOf: (2...(halfWindow + 1)).map { pending[end - $0] })
        }
        let frames = drainFrames()
        let expected = configuration.frameCount(sampleCount: sampleCount)
        assert(sampleCount == 0 || expected * configuration.melBandCount >= frames.count)
        pending = []
        position = 0
        return frames
    }

    private func drainFrames() -> [Float] {
        let size = configuration.fftSize
        let hop = configuration.hopLength
        let bands = configuration.melBandCount
        var output: [Float] = []
        output.reserveCapacity(max(0, (pending.count - position - size) / hop + 1) * bands)
        while pending.count - position >= size {
            pending.withUnsafeBufferPointer { signal in
                frame.withUnsafeMutableBufferPointer { frame in
                    for index in 0..<size { frame[index] = signal[position + index] * window[index] }
                }
            }
            frame.withUnsafeBufferPointer { frame in
                power.withUnsafeMutableBufferPointer { power in
                    fft.powerSpectrum(frame.baseAddress!, into: power.baseAddress!)
                }
            }
            let start = output.count
            output.append(contentsOf: repeatElement(0, count: bands))
            output.withUnsafeMutableBufferPointer { output in
                power.withUnsafeBufferPointer { power in
                    filterBank.apply(power.baseAddress!, into: output.baseAddress! + start)
                }
            }
            position += hop
        }
        // Keep the last N/2 + 1 samples whatever the position: the right reflect padding needs them.
        let keep = min(position, pending.count - (halfWindow + 1))
        if keep > 65_536 {
            pending.removeFirst(keep)
            position -= keep
        }
        return output
    }
}

import Foundation
