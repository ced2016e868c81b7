import DuetRandom
import DuetTensor

/// A stack of encoder layers with an optional final layer norm, as `torch.nn.TransformerEncoder`
/// (keys `layers.<i>.*` and `norm.*`). Shapes `[batch, time, width]`.
public final class TransformerEncoder: Module {
    public let layers: [TransformerEncoderLayer]
    public let norm: LayerNorm?

    public init(layers: [TransformerEncoderLayer], norm: LayerNorm? = nil) {
        self.layers = layers
        self.norm = norm
    }

    /// `depth` identically configured layers; a final norm when `finalNorm` (usual for pre-norm).
    public convenience init(
        depth: Int, width: Int, heads: Int, feedForwardWidth: Int, dropout: Float = 0.1,
        activation: TransformerActivation = .relu, normFirst: Bool = false, finalNorm: Bool = false,
        randomSource: RandomSource, using generator: inout SeededGenerator
    ) {
        var layers: [TransformerEncoderLayer] = []
        for _ in 0..<depth {
            layers.append(TransformerEncoderLayer(
                width: width, heads: heads, feedForwardWidth: feedForwardWidth, dropout: dropout,
                activation: activation, normFirst: normFirst, randomSource: randomSource, using: &generator))
        }
        self.init(layers: layers, norm: finalNorm ? LayerNorm(width) : nil)
    }

    public override var children: [(key: String, module: Module)] {
        layers.enumerated().map { (key: "layers.\($0.offset)", module: $0.element as Module) }
            + (norm.map { [(key: "norm", module: $0 as Module)] } ?? [])
    }

    /// - Parameters:
    ///   - input: `[batch, time, width]`.
    ///   - keyPadding: `[batch, time]`, true where padded.
    ///   - outputPositions: when set, the last layer computes only the first `n` positions
    ///     (`[batch, n, width]`, equal to those rows of the full output).
    public func callAsFunction(_ input: Tensor, keyPadding: [Bool]? = nil, outputPositions: Int? = nil) -> Tensor {
        var x = input
        for (index, layer) in layers.enumerated() {
            x = layer(x, keyPadding: keyPadding, outputPositions: index == layers.count - 1 ? outputPositions : nil)
        }
        return norm.map { $0(x) } ?? x
    }
}
