import DuetNN
import DuetTensor

/// A learnable aggregator over the layers of a locked audio encoder.
///
/// Each layer `x_l` (its slice of the channels) is first layer-normalised on its own (the layers' scales
/// differ by orders of magnitude: musicnn's front end against its mid-end, MERT's un-normed pre-norm states
/// against its normed last one). Then the layers are mixed in one of two ways (``Mixing``):
///
/// - **Concatenation** (musicnn, HTS-AT, whose layers differ in width, e.g. 561, 64, 64, 64):
///   `y = concat_l (w_l · LN_l(x_l))` with `w = L·softmax(logits)` (all 1 at initialisation). The branch's
///   input projection that follows is the per-channel mixing: together they are the across-layer
///   convolution with a kernel spanning all layers, factored so that the layer weights stay readable.
///   `[batch, time, Σ widths]` → `[batch, time, Σ widths]`.
/// - **Weighted sum** (MERT, whose states all have the hidden width): `y = Σ_l w_l · LN_l(x_l)` with
///   `w = softmax(logits)` (all `1/L` at initialisation): the paper's 1-D convolution across MERT's layers
///   (a kernel of one frame with the layers as its input channels), which keeps the branch's input at one
///   layer's width instead of `L` times it (25 × 1024 for MERT-v1-330M).
///   `[batch, time, L · width]` → `[batch, time, width]`.
///
/// Forward and backward are the tape's own ops (slice, layer norm, softmax, product, sum, concatenation).
/// Keys (both mixings): `norms.<l>.weight`, `norms.<l>.bias`, `layer_logits`.
public final class LayerAggregator: Module {
    /// How the normalised, weighted layers are combined.
    public enum Mixing: String, Codable, Sendable {
        /// Layers side by side: output width `Σ widths`.
        case concatenation
        /// Layers added: every width equal, output width one layer's.
        case weightedSum
    }

    public let widths: [Int]
    public let mixing: Mixing
    public let norms: [LayerNorm]
    public let layerLogits: Tensor

    /// - Parameters:
    ///   - widths: the channels of each layer, in the order they are concatenated in the input.
    ///   - mixing: ``Mixing/weightedSum`` needs every width equal.
    public init(widths: [Int], mixing: Mixing = .concatenation) {
        precondition(!widths.isEmpty && widths.allSatisfy { $0 > 0 }, "layer widths must be positive, got \(widths)")
        precondition(mixing == .concatenation || Set(widths).count == 1, "a weighted sum needs layers of one width, got \(widths)")
        self.widths = widths
        self.mixing = mixing
        norms = widths.map { LayerNorm($0) }
        layerLogits = Tensor.zeros([widths.count], requiresGradient: true)
    }

    public override var ownParameters: [(key: String, parameter: Tensor)] { [("layer_logits", layerLogits)] }

    public override var children: [(key: String, module: Module)] {
        norms.enumerated().map { (key: "norms.\($0.offset)", module: $0.element) }
    }

    /// Channels of the output: `Σ widths` concatenated, one layer's width summed.
    public var outputWidth: Int {
        switch mixing {
        case .concatenation: widths.reduce(0, +)
        case .weightedSum: widths[0]
        }
    }

    /// The current weight of each layer (they sum to the layer count when concatenated, to 1 when summed).
    public var layerWeights: [Float] {
        withoutGradient { mixingWeights().storage }
    }

    /// `L·softmax(logits)` (concatenation) or `softmax(logits)` (weighted sum), `[L]`.
    private func mixingWeights() -> Tensor {
        switch mixing {
        case .concatenation: layerLogits.softmax() * Float(widths.count)
        case .weightedSum: layerLogits.softmax()
        }
    }

    /// - Parameter input: `[batch, time, Σ widths]`, the layers side by side per frame.
    /// - Returns: `[batch, time, outputWidth]`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        precondition(input.rank == 3 && input.shape[2] == widths.reduce(0, +),
                     "aggregator over layers \(widths) needs [batch, time, \(widths.reduce(0, +))], got \(input.shape)")
        let weights = mixingWeights()
        var start = 0
        var parts: [Tensor] = []
        for (layer, width) in widths.enumerated() {
            let normalised = norms[layer](input.sliced(axis: 2, start..<(start + width)))
            parts.append(normalised * weights.sliced(axis: 0, layer..<(layer + 1)))
            start += width
        }
        switch mixing {
        case .concatenation: return Tensor.concatenate(parts, axis: 2)
        case .weightedSum: return parts.dropFirst().reduce(parts[0], +)
        }
    }
}
