import Foundation

/// Loudness handling of rendered clips.
///
/// Each clip's RMS level is set to a target that follows the arrangement's intended dynamics,
/// `target dBFS = -26 + 12 * dynamics` (a calm clip at dynamics 0.35 sits near -21.8 dBFS, an
/// energetic one at 1.0 at -14 dBFS), so the soft/loud difference between moods survives while
/// the arbitrary level differences between patches and instrument counts are removed. The gain
/// is capped so the peak stays at or below 0.97 (no clipping in 16-bit output).
public enum Loudness {
    public static func targetDecibels(dynamics: Double) -> Double { -26 + 12 * dynamics }

    public static func normalise(_ samples: inout [Float], dynamics: Double) {
        guard !samples.isEmpty else { return }
        var sumOfSquares = 0.0
        var peak: Float = 0
        for sample in samples {
            sumOfSquares += Double(sample) * Double(sample)
            peak = max(peak, abs(sample))
        }
        let rms = (sumOfSquares / Double(samples.count)).squareRoot()
        guard rms > 1e-9, peak > 0 else { return }
        let target = pow10(targetDecibels(dynamics: dynamics) / 20)
        let gain = Float(min(target / rms, 0.97 / Double(peak)))
        for index in samples.indices { samples[index] *= gain }
    }

    /// A 5 ms fade-in and a 50 ms fade-out, so clips start and end without clicks.
    public static func fadeEdges(_ samples: inout [Float], sampleRate: Int) {
        let fadeIn = min(samples.count, sampleRate / 200)
        let fadeOut = min(samples.count, sampleRate / 20)
        for index in 0..<fadeIn { samples[index] *= Float(index) / Float(fadeIn) }
        for index in 0..<fadeOut { samples[samples.count - 1 - index] *= Float(index) / Float(fadeOut) }
    }

    private static func pow10(_ exponent: Double) -> Double { Foundation.pow(10, exponent) }
}
