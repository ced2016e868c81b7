import DuetNN
import DuetTensor

/// A learnable aggregator over the layers of a locked audio encoder.
///
/// The paper trains a 1-D convolution across MERT's layers (all 1024 wide) to mix levels of
/// abstraction. musicnn's layers differ in width (561, 64, 64, 64), so each layer is first
/// layer-normalised on its own (their scales differ by orders of magnitude), then scaled by a
/// learned layer weight `w = L·softmax(logits)` (all 1 at initialisation), and the layers are
/// concatenated; the branch's input projection that follows is the per-channel mixing. This is
/// the across-layer convolution with a kernel spanning all layers, factored so that the layer
/// weights stay readable.
///
/// `[batch, time, Σ widths]` → `[batch, time, Σ widths]`.
/// Keys: `norms.<l>.weight`, `norms.<l>.bias`, `layer_logits`.
public final class LayerAggregator: Module {
    public let widths: [Int]
    public let norms: [LayerNorm]
    public let layerLogits: Tensor

    public init(widths: [Int]) {
        precondition(!widths.isEmpty && widths.allSatisfy { $0 > 0 }, "layer widths must be positive, got \(widths)")
        self.widths = widths
        norms = widths.map { LayerNorm($0) }
        layerLogits = Tensor.zeros([widths.count], requiresGradient: true)
    }

    public override var ownParameters: [(key: String, parameter: Tensor)] { [("layer_logits", layerLogits)] }

    public override var children: [(key: String, module: Module)] {
        norms.enumerated().map { (key: "norms.\($0.offset)", module: $0.element) }
    }

    /// The current weight of each layer (they sum to the layer count).
    public var layerWeights: [Float] {
        withoutGradient { (layerLogits.softmax() * Float(widths.count)).storage }
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        precondition(input.rank == 3 && input.shape[2] == widths.reduce(0, +),
                     "aggregator over layers \(widths) needs [batch, time, \(widths.reduce(0, +))], got \(input.shape)")
        let weights = layerLogits.softmax() * Float(widths.count)
        var start = 0
        var parts: [Tensor] = []
        for (layer, width) in widths.enumerated() {
            let normalised = norms[layer](input.sliced(axis: 2, start..<(start + width)))
            parts.append(normalised * weights.sliced(axis: 0, layer..<(layer + 1)))
            start += width
        }
        return Tensor.concatenate(parts, axis: 2)
    }
}
