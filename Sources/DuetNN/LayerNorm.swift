import DuetTensor

/// Layer normalisation over the last axis, as `torch.nn.LayerNorm(width, eps)`:
/// `y = (x − μ)/√(σ² + ε)·weight + bias`; weight starts at 1, bias at 0.
public final class LayerNorm: Module {
    public let weight: Tensor
    public let bias: Tensor
    public let epsilon: Float

    public init(_ width: Int, epsilon: Float = 1e-5) {
        weight = Tensor.ones([width], requiresGradient: true)
        bias = Tensor.zeros([width], requiresGradient: true)
        self.epsilon = epsilon
    }

    public override var ownParameters: [(key: String, parameter: Tensor)] { [("weight", weight), ("bias", bias)] }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        input.layerNorm(weight: weight, bias: bias, epsilon: epsilon)
    }
}
