import DuetRandom
import DuetTensor

/// Multi-head self-attention, as `torch.nn.MultiheadAttention(width, heads, dropout,
/// batch_first=True)` called with `query = key = value = x`:
///
/// `[q | k | v] = x·in_proj_weightᵀ + in_proj_bias`, per head `softmax(q·kᵀ/√d + mask)·v`
/// (with dropout on the weights in training), heads concatenated, then `out_proj`.
/// Input and output `[batch, time, width]`. Parameter keys and layouts are PyTorch's
/// (`in_proj_weight [3·width, width]`, `in_proj_bias`, `out_proj.weight`, `out_proj.bias`), so
/// a `state_dict` maps one to one. Initialisation as PyTorch: Xavier-uniform `in_proj_weight`,
/// zero biases, `out_proj.weight` `U(−1/√width, 1/√width)`.
public final class MultiHeadAttention: Module {
    public let width: Int
    public let heads: Int
    public let dropout: Float
    public let inProjectionWeight: Tensor
    public let inProjectionBias: Tensor
    public let outProjection: Linear
    let randomSource: RandomSource

    public init(width: Int, heads: Int, dropout: Float = 0, randomSource: RandomSource, using generator: inout SeededGenerator) {
        precondition(width % heads == 0, "attention width \(width) is not divisible by \(heads) heads")
        self.width = width
        self.heads = heads
        self.dropout = dropout
        self.randomSource = randomSource
        inProjectionWeight = uniformParameter([3 * width, width], bound: (6 / Float(4 * width)).squareRoot(), using: &generator)
        inProjectionBias = Tensor.zeros([3 * width], requiresGradient: true)
        outProjection = Linear(width, width, using: &generator)
        outProjection.bias!.assign([Float](repeating: 0, count: width))
    }

    public override var ownParameters: [(key: String, parameter: Tensor)] {
        [("in_proj_weight", inProjectionWeight), ("in_proj_bias", inProjectionBias)]
    }

    public override var children: [(key: String, module: Module)] { [("out_proj", outProjection)] }

    /// - Parameters:
    ///   - input: `[batch, time, width]`.
    ///   - keyPadding: `[batch, time]`, true where the position is padding (`key_padding_mask`).
    ///   - queries: attend from only the first `queries` positions (all keys still count); the
    ///     result is `[batch, queries, width]`, identical to those rows of the full result.
    public func callAsFunction(_ input: Tensor, keyPadding: [Bool]? = nil, queries: Int? = nil) -> Tensor {
        let packed = Tensor.linear(input, weight: inProjectionWeight, bias: inProjectionBias)
        let attended = Tensor.multiHeadAttention(
            packed: packed, heads: heads, keyPadding: keyPadding, dropout: dropout, training: isTraining,
            queries: queries, using: &randomSource.generator)
        return outProjection(attended)
    }
}
