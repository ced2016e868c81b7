import Foundation

/// Triangular mel filters on the Slaney (Auditory Toolbox) scale with Slaney area normalisation,
/// as `librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk=False, norm="slaney")` (librosa 0.8.1).
///
/// The Slaney scale is linear below 1 kHz (`mel = 3 f / 200`) and logarithmic above
/// (`mel = 15 + 27 ln(f / 1000) / ln 6.4`). Filter `m` rises from mel point `m` to `m + 1` and falls to
/// `m + 2`, evaluated at the FFT bin frequencies `k sr / N`, then scaled by `2 / (f[m+2] - f[m])`.
/// Built in double precision and stored as Float, like librosa.
public struct MelFilterBank: Sendable {
    public let bandCount: Int
    public let binCount: Int
    /// Weights, `[bandCount, binCount]` row-major.
    public let weights: [Float]
    /// First and one-past-last nonzero bin of each band, so `apply` skips the zeros.
    let bandRanges: [Range<Int>]

    public init(sampleRate: Int, fftSize: Int, bandCount: Int, minimumFrequency: Double = 0, maximumFrequency: Double? = nil) {
        let maximum = maximumFrequency ?? Double(sampleRate) / 2
        precondition(bandCount > 0 && fftSize > 0 && minimumFrequency < maximum,
                     "invalid mel bank: \(bandCount) bands, fft \(fftSize), \(minimumFrequency)-\(maximum) Hz")
        self.bandCount = bandCount
        binCount = fftSize / 2 + 1
        let binFrequencies = (0..<binCount).map { Double($0) * Double(sampleRate) / Double(fftSize) }
        let lowMel = Self.mel(fromHertz: minimumFrequency)
        let highMel = Self.mel(fromHertz: maximum)
        let points = (0..<(bandCount + 2)).map {
            Self.hertz(fromMel: lowMel + (highMel - lowMel) * Double($0) / Double(bandCount + 1))
        }
        var weights = [Float](repeating: 0, count: bandCount * binCount)
        var ranges: [Range<Int>] = []
        for band in 0..<bandCount {
            let normalisation = 2 / (points[band + 2] - points[band])
            var first = binCount
            var last = 0
            for bin in 0..<binCount {
                let lower = (binFrequencies[bin] - points[band]) / (points[band + 1] - points[band])
                let upper = (points[band + 2] - binFrequencies[bin]) / (points[band + 2] - points[band + 1])
                let weight = max(0, min(lower, upper)) * normalisation
                weights[band * binCount + bin] = Float(weight)
                if weight > 0 { first = min(first, bin); last = max(last, bin + 1) }
            }
            ranges.append(first < last ? first..<last : 0..<0)
        }
        self.weights = weights
        bandRanges = ranges
    }

    /// Slaney mel of a frequency in hertz.
    public static func mel(fromHertz frequency: Double) -> Double {
        let linearSlope = 200.0 / 3, breakFrequency = 1000.0
        let breakMel = breakFrequency / linearSlope
        let logStep = 0.06875177742094912  // ln(6.4) / 27
        return frequency >= breakFrequency
            ? breakMel + log(frequency / breakFrequency) / logStep : frequency / linearSlope
    }

    /// Frequency in hertz of a Slaney mel.
    public static func hertz(fromMel mel: Double) -> Double {
        let linearSlope = 200.0 / 3, breakFrequency = 1000.0
        let breakMel = breakFrequency / linearSlope
        let logStep = 0.06875177742094912
        return mel >= breakMel ? breakFrequency * exp(logStep * (mel - breakMel)) : linearSlope * mel
    }

    /// `mel[m] = sum_k weights[m, k] power[k]` for one frame.
    @inline(__always)
    public func apply(_ power: UnsafePointer<Float>, into mel: UnsafeMutablePointer<Float>) {
        weights.withUnsafeBufferPointer { weights in
            for band in 0..<bandCount {
                var sum: Float = 0
                let row = band * binCount
                for bin in bandRanges[band] { sum += weights[row + bin] * power[bin] }
                mel[band] = sum
            }
        }
    }
}

