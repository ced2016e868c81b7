/// PyTorch's bicubic resampling along one axis, `torch.nn.functional.interpolate(mode="bicubic",
/// align_corners=True)` (`aten/src/ATen/native/UpSample.h`, `HelperInterpCubic`), which HTS-AT uses to
/// stretch a spectrogram's frames to the image's length.
///
/// Output index `i` reads source position `x = i · (n − 1) / (m − 1)` (in Float32, as PyTorch's float
/// kernel), taps `⌊x⌋ − 1 … ⌊x⌋ + 2` clamped to the border, weighted by Keys' cubic convolution with
/// `A = −0.75` at `t = x − ⌊x⌋`: `((A + 2) t − (A + 3)) t² + 1` for the inner taps (distances `t` and `1 − t`)
/// and `((A t − 5A) t + 8A) t − 4A` for the outer ones (distances `1 + t` and `2 − t`). An axis whose size
/// does not change gets the weights (0, 1, 0, 0), an exact copy, so resampling one axis of a 2-D
/// bicubic call equals PyTorch's result.
struct CubicInterpolation: Sendable {
    let inputSize: Int
    let outputSize: Int
    /// Per output index: the four source indices and their weights.
    let indices: [(Int, Int, Int, Int)]
    let weights: [(Float, Float, Float, Float)]

    static let coefficient: Float = -0.75

    init(from inputSize: Int, to outputSize: Int) {
        precondition(inputSize > 0 && outputSize > 0, "resampling \(inputSize) to \(outputSize) values")
        self.inputSize = inputSize
        self.outputSize = outputSize
        let scale: Float = outputSize > 1 ? Float(inputSize - 1) / Float(outputSize - 1) : 0
        let a = Self.coefficient
        func inner(_ x: Float) -> Float { ((a + 2) * x - (a + 3)) * x * x + 1 }
        func outer(_ x: Float) -> Float { ((a * x - 5 * a) * x + 8 * a) * x - 4 * a }
        var indices: [(Int, Int, Int, Int)] = []
        var weights: [(Float, Float, Float, Float)] = []
        for output in 0..<outputSize {
            let position = scale * Float(output)
            let first = min(Int(position.rounded(.down)), inputSize - 1)
            let t = min(max(position - Float(first), 0), 1)
            func clamped(_ index: Int) -> Int { min(max(index, 0), inputSize - 1) }
            indices.append((clamped(first - 1), clamped(first), clamped(first + 1), clamped(first + 2)))
            weights.append((outer(t + 1), inner(t), inner(1 - t), outer(2 - t)))
        }
        self.indices = indices
        self.weights = weights
    }

    /// Resamples the rows of a row-major `[inputSize, columns]` matrix to `[outputSize, columns]`.
    func resampleRows(_ values: [Float], columns: Int) -> [Float] {
        precondition(values.count == inputSize * columns)
        var output = [Float](repeating: 0, count: outputSize * columns)
        for row in 0..<outputSize {
            let (i0, i1, i2, i3) = indices[row], (w0, w1, w2, w3) = weights[row]
            for column in 0..<columns {
                output[row * columns + column] = w0 * values[i0 * columns + column] + w1 * values[i1 * columns + column]
                    + w2 * values[i2 * columns + column] + w3 * values[i3 * columns + column]
            }
        }
        return output
    }

    /// Resamples the columns of a row-major `[rows, inputSize]` matrix to `[rows, outputSize]`.
    func resampleColumns(_ values: [Float], rows: Int) -> [Float] {
        precondition(values.count == rows * inputSize)
        var output = [Float](repeating: 0, count: rows * outputSize)
        for row in 0..<rows {
            let source = row * inputSize
            for column in 0..<outputSize {
                let (i0, i1, i2, i3) = indices[column], (w0, w1, w2, w3) = weights[column]
                output[row * outputSize + column] = w0 * values[source + i0] + w1 * values[source + i1]
                    + w2 * values[source + i2] + w3 * values[source + i3]
            }
        }
        return output
    }
}
