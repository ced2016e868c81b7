import DuetRandom
import DuetTensor

/// `y = x·Wᵀ + b`, as `torch.nn.Linear`: `weight [out, in]`, `bias [out]`, input `[..., in]`,
/// output `[..., out]`. Initialised like PyTorch: `U(−1/√in, 1/√in)` for weight and bias.
public final class Linear: Module {
    public let weight: Tensor
    public let bias: Tensor?

    /// - Parameters:
    ///   - inputWidth: `in`, the last axis of the input.
    ///   - outputWidth: `out`.
    ///   - bias: whether to add a bias.
    public init(_ inputWidth: Int, _ outputWidth: Int, bias: Bool = true, using generator: inout SeededGenerator) {
        let bound = 1 / Float(inputWidth).squareRoot()
        weight = uniformParameter([outputWidth, inputWidth], bound: bound, using: &generator)
        self.bias = bias ? uniformParameter([outputWidth], bound: bound, using: &generator) : nil
    }

    public override var ownParameters: [(key: String, parameter: Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public func callAsFunction(_ input: Tensor) -> Tensor { Tensor.linear(input, weight: weight, bias: bias) }
}
