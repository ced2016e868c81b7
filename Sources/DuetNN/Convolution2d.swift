import DuetRandom
import DuetTensor

/// A 2-D convolution layer, as `torch.nn.Conv2d(inputChannels, outputChannels, kernel, stride,
/// padding)`: `weight [out, in, KH, KW]`, `bias [out]`, input `[batch, in, H, W]`, output
/// `[batch, out, Ho, Wo]`. Initialised like PyTorch: `U(−1/√fanIn, 1/√fanIn)` for weight and bias,
/// `fanIn = in·KH·KW`.
public final class Convolution2d: Module {
    public let weight: Tensor
    public let bias: Tensor?
    public let stride: (Int, Int)
    public let padding: (Int, Int)

    public init(
        _ inputChannels: Int, _ outputChannels: Int, kernel: (Int, Int), stride: (Int, Int) = (1, 1),
        padding: (Int, Int) = (0, 0), bias: Bool = true, using generator: inout SeededGenerator
    ) {
        precondition(inputChannels > 0 && outputChannels > 0 && kernel.0 > 0 && kernel.1 > 0,
                     "convolution needs positive channels and kernel, got \(inputChannels)->\(outputChannels), \(kernel)")
        let bound = 1 / Float(inputChannels * kernel.0 * kernel.1).squareRoot()
        weight = uniformParameter([outputChannels, inputChannels, kernel.0, kernel.1], bound: bound, using: &generator)
        self.bias = bias ? uniformParameter([outputChannels], bound: bound, using: &generator) : nil
        self.stride = stride
        self.padding = padding
    }

    public override var ownParameters: [(key: String, parameter: Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        Tensor.conv2d(input, weight: weight, bias: bias, stride: stride, padding: padding)
    }
}
