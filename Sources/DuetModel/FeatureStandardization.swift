import DuetTensor

/// A fixed per-channel affine map `(x − mean) · scale` over the last axis, estimated once from
/// training features and stored with the model (it is not trained).
///
/// Why: a locked text encoder's token states need not be centred. multilingual-e5-small's states
/// share one direction that holds most of their length (about 4.7 of a norm of 5.1 per token, the
/// rest being what tells tokens apart), where MiniLM's are closer to isotropic. The projection
/// branch then learns from a small signal on a large offset; standardising each channel over the
/// training texts gives every encoder the same well-conditioned input.
public struct FeatureStandardization: Codable, Sendable, Equatable {
    /// Per-channel mean of the estimation features, `[width]`.
    public var mean: [Float]
    /// Per-channel `1 / sqrt(variance + varianceFloor)`, `[width]`.
    public var scale: [Float]

    /// Added to every channel's variance, so a channel that never varies is not blown up.
    public static let varianceFloor = 1e-6

    public var width: Int { mean.count }

    /// - Precondition: `mean` and `scale` have the same, non-zero count.
    public init(mean: [Float], scale: [Float]) {
        precondition(!mean.isEmpty && mean.count == scale.count, "\(mean.count) means for \(scale.count) scales")
        self.mean = mean
        self.scale = scale
    }

    /// Estimates the map from feature rows: each element of `blocks` is a `[rows, width]` row-major
    /// block (one text's token states); every row counts once. Sums are kept in `Double`.
    /// Returns nil when `blocks` hold no rows.
    public static func estimate(from blocks: some Sequence<[Float]>, width: Int) -> FeatureStandardization? {
        precondition(width > 0, "width must be positive")
        var sum = [Double](repeating: 0, count: width)
        var sumOfSquares = [Double](repeating: 0, count: width)
        var rowCount = 0
        for block in blocks {
            precondition(block.count % width == 0, "a block of \(block.count) values is not rows of \(width)")
            for row in stride(from: 0, to: block.count, by: width) {
                for channel in 0..<width {
                    let value = Double(block[row + channel])
                    sum[channel] += value
                    sumOfSquares[channel] += value * value
                }
            }
            rowCount += block.count / width
        }
        guard rowCount > 0 else { return nil }
        let count = Double(rowCount)
        var mean = [Float](repeating: 0, count: width)
        var scale = [Float](repeating: 0, count: width)
        for channel in 0..<width {
            let channelMean = sum[channel] / count
            let variance = max(0, sumOfSquares[channel] / count - channelMean * channelMean)
            mean[channel] = Float(channelMean)
            scale[channel] = Float(1 / (variance + varianceFloor).squareRoot())
        }
        return FeatureStandardization(mean: mean, scale: scale)
    }

    /// `(input − mean) · scale` channel by channel: `[..., width]` → `[..., width]`. The result is a
    /// constant (the locked encoder's features carry no gradient).
    public func callAsFunction(_ input: Tensor) -> Tensor {
        precondition(input.shape.last == width, "features of width \(input.shape.last ?? 0), standardisation of width \(width)")
        var values = input.storage
        values.withUnsafeMutableBufferPointer { buffer in
            for row in stride(from: 0, to: buffer.count, by: width) {
                for channel in 0..<width {
                    buffer[row + channel] = (buffer[row + channel] - mean[channel]) * scale[channel]
                }
            }
        }
        return Tensor(values, shape: input.shape)
    }

    enum CodingKeys: String, CodingKey { case mean, scale }

    /// Reads a stored map, refusing unequal counts and values that are not finite (a damaged
    /// checkpoint must not turn every query into NaN).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let mean = try container.decode([Float].self, forKey: .mean)
        let scale = try container.decode([Float].self, forKey: .scale)
        guard !mean.isEmpty, mean.count == scale.count else {
            throw DecodingError.dataCorruptedError(
                forKey: .scale, in: container, debugDescription: "\(mean.count) means for \(scale.count) scales")
        }
        guard mean.allSatisfy(\.isFinite), scale.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw DecodingError.dataCorruptedError(
                forKey: .scale, in: container, debugDescription: "means must be finite and scales finite and positive")
        }
        self.init(mean: mean, scale: scale)
    }
}
