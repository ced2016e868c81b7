import Foundation

/// T5's bidirectional relative-position buckets (Raffel et al. 2020, §2.1), as `transformers`'
/// `T5Attention._relative_position_bucket` with `bidirectional=True` computes them for the encoder.
///
/// For `d = key − query`: half the `bucketCount` buckets are for `d > 0` (offset `bucketCount / 2`),
/// the other half for `d ≤ 0`; within a half of `n = bucketCount / 2`, distances `|d| < n / 2` have a
/// bucket each, and larger ones share logarithmically spaced buckets up to `maximumDistance`:
/// `n/2 + ⌊log(|d| / (n/2)) / log(maximumDistance / (n/2)) · (n − n/2)⌋`, at most `n − 1`. The logarithm
/// is evaluated in Float32 in the reference's order, so distances on a bucket boundary fall the same way.
public enum T5RelativePosition {
    public static func bucket(distance: Int, bucketCount: Int, maximumDistance: Int) -> Int {
        let half = bucketCount / 2
        let offset = distance > 0 ? half : 0
        let magnitude = abs(distance)
        let exact = half / 2
        guard magnitude >= exact else { return offset + magnitude }
        let ratio = Float(magnitude) / Float(exact)
        // `math.log(max_distance / max_exact)` is a Python double, rounded to Float32 by the tensor division.
        let span = Float(Foundation.log(Double(maximumDistance) / Double(exact)))
        let scaled = Foundation.log(ratio) / span * Float(half - exact)
        return offset + min(exact + Int(scaled), half - 1)
    }

    /// The bias of every relative distance for `longest` positions: `[headCount, 2 · longest − 1]`, entry
    /// `(h, d + longest − 1)` the learned bias `table[bucket(d), h]` (`table` is `[bucketCount, headCount]`,
    /// the `relative_attention_bias` embedding), as ``EncoderKernels`` attention reads it.
    static func biasTable(_ table: [Float], headCount: Int, longest: Int, bucketCount: Int, maximumDistance: Int) -> [Float] {
        let width = 2 * longest - 1
        var bias = [Float](repeating: 0, count: headCount * width)
        for column in 0..<width {
            let bucket = bucket(distance: column - (longest - 1), bucketCount: bucketCount, maximumDistance: maximumDistance)
            for head in 0..<headCount { bias[head * width + column] = table[bucket * headCount + head] }
        }
        return bias
    }
}
