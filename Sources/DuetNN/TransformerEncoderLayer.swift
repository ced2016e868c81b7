import DuetRandom
import DuetTensor

/// The feed-forward non-linearity of a Transformer layer.
public enum TransformerActivation: String, Sendable, Codable {
    case relu, gelu

    func apply(_ input: Tensor) -> Tensor {
        switch self {
        case .relu: input.relu()
        case .gelu: input.gelu()
        }
    }
}

/// One Transformer encoder layer, as `torch.nn.TransformerEncoderLayer(width, heads,
/// feedForwardWidth, dropout, activation, batch_first=True, norm_first)`:
///
/// post-norm (PyTorch's default): `x = norm1(x + drop(attn(x)))`, `x = norm2(x + drop(ff(x)))`;
/// pre-norm: `x = x + drop(attn(norm1(x)))`, `x = x + drop(ff(norm2(x)))`;
/// `ff(x) = linear2(drop(act(linear1(x))))`. Shapes `[batch, time, width]`; keys as PyTorch
/// (`self_attn.*`, `linear1.*`, `linear2.*`, `norm1.*`, `norm2.*`).
public final class TransformerEncoderLayer: Module {
    public let selfAttention: MultiHeadAttention
    public let linear1: Linear
    public let linear2: Linear
    public let norm1: LayerNorm
    public let norm2: LayerNorm
    public let dropout: Dropout
    public let dropout1: Dropout
    public let dropout2: Dropout
    public let activation: TransformerActivation
    public let normFirst: Bool

    public init(
        width: Int, heads: Int, feedForwardWidth: Int, dropout: Float = 0.1,
        activation: TransformerActivation = .relu, normFirst: Bool = false, layerNormEpsilon: Float = 1e-5,
        randomSource: RandomSource, using generator: inout SeededGenerator
    ) {
        selfAttention = MultiHeadAttention(width: width, heads: heads, dropout: dropout, randomSource: randomSource, using: &generator)
        linear1 = Linear(width, feedForwardWidth, using: &generator)
        linear2 = Linear(feedForwardWidth, width, using: &generator)
        norm1 = LayerNorm(width, epsilon: layerNormEpsilon)
        norm2 = LayerNorm(width, epsilon: layerNormEpsilon)
        self.dropout = Dropout(dropout, randomSource: randomSource)
        dropout1 = Dropout(dropout, randomSource: randomSource)
        dropout2 = Dropout(dropout, randomSource: randomSource)
        self.activation = activation
        self.normFirst = normFirst
    }

    public override var children: [(key: String, module: Module)] {
        [("self_attn", selfAttention), ("linear1", linear1), ("dropout", dropout), ("linear2", linear2),
         ("norm1", norm1), ("norm2", norm2), ("dropout1", dropout1), ("dropout2", dropout2)]
    }

    /// - Parameters:
    ///   - input: `[batch, time, width]`.
    ///   - keyPadding: `[batch, time]`, true where padded.
    ///   - outputPositions: compute only the first `n` output positions (every position is still
    ///     attended to): `[batch, n, width]`, equal to those rows of the full output. A [CLS]-pooled
    ///     last layer needs 1, which skips the feed-forward and output projection of every other token.
    public func callAsFunction(_ input: Tensor, keyPadding: [Bool]? = nil, outputPositions: Int? = nil) -> Tensor {
        func feedForward(_ x: Tensor) -> Tensor { linear2(dropout(activation.apply(linear1(x)))) }
        let residual = outputPositions.map { input.sliced(axis: 1, 0..<$0) } ?? input
        if normFirst {
            let attended = residual + dropout1(selfAttention(norm1(input), keyPadding: keyPadding, queries: outputPositions))
            return attended + dropout2(feedForward(norm2(attended)))
        }
        let attended = norm1(residual + dropout1(selfAttention(input, keyPadding: keyPadding, queries: outputPositions)))
        return norm2(attended + dropout2(feedForward(attended)))
    }
}
