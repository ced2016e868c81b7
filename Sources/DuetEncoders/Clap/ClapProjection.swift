import DuetTensor

/// One of CLAP's projection MLPs (`audio_projection`, `text_projection`: `nn.Sequential(Linear, act,
/// Linear)`), `y = W₂ act(W₁ x + b₁) + b₂`, with `act` ReLU (laion_clap's default `mlp_act`) or the exact GELU.
public struct ClapProjection: Sendable {
    /// `[joint, input]` (`.0.weight`), `[joint]` (`.0.bias`).
    public var firstWeight: [Float]
    public var firstBias: [Float]
    /// `[joint, joint]` (`.2.weight`), `[joint]` (`.2.bias`).
    public var secondWeight: [Float]
    public var secondBias: [Float]
    public let inputWidth: Int
    public let outputWidth: Int
    public let activation: EncoderActivation

    public init(
        firstWeight: [Float], firstBias: [Float], secondWeight: [Float], secondBias: [Float],
        inputWidth: Int, outputWidth: Int, activation: EncoderActivation
    ) {
        self.firstWeight = firstWeight
        self.firstBias = firstBias
        self.secondWeight = secondWeight
        self.secondBias = secondBias
        self.inputWidth = inputWidth
        self.outputWidth = outputWidth
        self.activation = activation
    }

    /// Projects `input` `[rows, inputWidth]` (row-major) to `[rows, outputWidth]`.
    public func callAsFunction(_ input: [Float], rows: Int) -> [Float] {
        precondition(input.count == rows * inputWidth, "\(input.count) values are not \(rows) rows of \(inputWidth)")
        guard rows > 0 else { return [] }
        var hidden = [Float](repeating: 0, count: rows * outputWidth)
        var output = [Float](repeating: 0, count: rows * outputWidth)
        hidden.withUnsafeMutableBufferPointer { hidden in
            input.withUnsafeBufferPointer { input in
                firstWeight.withUnsafeBufferPointer { weight in
                    sgemm(input.baseAddress!, weight.baseAddress!, hidden.baseAddress!, m: rows, n: outputWidth, k: inputWidth, transposeB: true)
                }
            }
            firstBias.withUnsafeBufferPointer { bias in
                EncoderKernels.biasActivation(hidden.baseAddress!, bias: bias.baseAddress!, rows: rows, width: outputWidth, activation: activation)
            }
            output.withUnsafeMutableBufferPointer { output in
                secondWeight.withUnsafeBufferPointer { weight in
                    secondBias.withUnsafeBufferPointer { bias in
                        EncoderKernels.broadcastRows(bias.baseAddress!, into: output.baseAddress!, rows: rows, width: outputWidth)
                        sgemm(hidden.baseAddress!, weight.baseAddress!, output.baseAddress!, m: rows, n: outputWidth, k: outputWidth, transposeB: true, beta: 1)
                    }
                }
            }
        }
        return output
    }
}
