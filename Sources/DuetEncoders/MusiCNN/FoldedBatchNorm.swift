/// Inference batch normalisation folded into one affine map per channel:
/// `y = gamma (x - mean) / sqrt(variance + epsilon) + beta = scale x + shift`, with TensorFlow's
/// `tf.compat.v1.layers.batch_normalization` default `epsilon = 1e-3`.
struct FoldedBatchNorm: Sendable {
    let scale: [Float]
    let shift: [Float]

    static let epsilon: Float = 1e-3

    init(gamma: [Float], beta: [Float], mean: [Float], variance: [Float]) {
        precondition(gamma.count == beta.count && beta.count == mean.count && mean.count == variance.count,
                     "batch-norm parameter lengths \(gamma.count), \(beta.count), \(mean.count), \(variance.count) differ")
        let scale = zip(gamma, variance).map { $0 / (($1 + Self.epsilon).squareRoot()) }
        self.scale = scale
        shift = (0..<beta.count).map { beta[$0] - mean[$0] * scale[$0] }
    }

    var channelCount: Int { scale.count }
}
