import DuetRandom
import DuetTensor

/// A lookup table, as `torch.nn.Embedding(count, width)`: `weight [count, width]` initialised
/// `N(0, 1)`; indices of shape `S` give `S + [width]`.
public final class Embedding: Module {
    public let weight: Tensor

    public init(count: Int, width: Int, using generator: inout SeededGenerator) {
        weight = Tensor.randomNormal([count, width], using: &generator, requiresGradient: true)
    }

    public override var ownParameters: [(key: String, parameter: Tensor)] { [("weight", weight)] }

    public func callAsFunction(_ indices: [Int], shape: [Int]? = nil) -> Tensor {
        weight.gatherRows(indices, indexShape: shape)
    }
}
