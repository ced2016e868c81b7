#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Softmax and log-softmax over the last axis, numerically stable (the row maximum is subtracted
/// before exponentiating), matching `torch.softmax(x, -1)` / `torch.log_softmax(x, -1)`.
extension Tensor {
    /// `yᵢ = e^{xᵢ − m} / Σⱼ e^{xⱼ − m}` per row. Backward: `dx = y ⊙ (dy − Σ dy⊙y)`.
    public func softmax() -> Tensor {
        let width = shape.last ?? 1
        let rows = count / Swift.max(1, width)
        let output = [Float].uninitialized(count) { target in
            withValues { input in
                Parallelism.forEachChunk(rows, minimumChunk: Swift.max(1, 8192 / Swift.max(1, width))) { chunk in
                    for row in chunk {
                        softmaxRow(input + row * width, target.baseAddress! + row * width, width)
                    }
                }
            }
        }
        return Tensor(output, shape: shape, inputs: [self]) { [self] result in
            let gradient = [Float].uninitialized(self.count) { target in
                withPointers(result.storage) { forward in
                    withPointers(result.incomingGradient) { incoming in
                        Parallelism.forEachChunk(rows, minimumChunk: Swift.max(1, 8192 / Swift.max(1, width))) { chunk in
                            for row in chunk {
                                softmaxBackwardRow(forward + row * width, incoming + row * width,
                                                   target.baseAddress! + row * width, width)
                            }
                        }
                    }
                }
            }
            self.accumulateGradient(gradient)
        }
    }

    /// `yᵢ = xᵢ − m − log Σⱼ e^{xⱼ − m}` per row. Backward: `dx = dy − softmax(x)·Σ dy`.
    public func logSoftmax() -> Tensor {
        let width = shape.last ?? 1
        let rows = count / Swift.max(1, width)
        let output = [Float].uninitialized(count) { target in
            withValues { input in
                for row in 0..<rows {
                    let source = input + row * width
                    let out = target.baseAddress! + row * width
                    var maximum = -Float.infinity
                    for index in 0..<width { maximum = Swift.max(maximum, source[index]) }
                    var total: Float = 0
                    for index in 0..<width { total += fastExp(source[index] - maximum) }
                    // (x − m) − log Σ keeps full precision for large logits; x − (m + log Σ) would not.
                    let logTotal = logf(total)
                    for index in 0..<width { out[index] = (source[index] - maximum) - logTotal }
                }
            }
        }
        return Tensor(output, shape: shape, inputs: [self]) { [self] result in
            let gradient = [Float].uninitialized(self.count) { target in
                withPointers(result.storage) { forward in
                    withPointers(result.incomingGradient) { incoming in
                        for row in 0..<rows {
                            let y = forward + row * width
                            let g = incoming + row * width
                            let out = target.baseAddress! + row * width
                            var total: Float = 0
                            for index in 0..<width { total += g[index] }
                            for index in 0..<width { out[index] = g[index] - fastExp(y[index]) * total }
                        }
                    }
                }
            }
            self.accumulateGradient(gradient)
        }
    }
}

/// Stable softmax of one row; a row that is entirely `-inf` becomes zeros (every key masked).
@inline(__always)
func softmaxRow(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, _ width: Int) {
    var maximum = -Float.infinity
    for index in 0..<width { maximum = Swift.max(maximum, input[index]) }
    if maximum == -Float.infinity {
        output.update(repeating: 0, count: width)
        return
    }
    var total: Float = 0
    for index in 0..<width {
        let value = fastExp(input[index] - maximum)
        output[index] = value
        total += value
    }
    let scale = 1 / total
    for index in 0..<width { output[index] *= scale }
}

/// `dx = y ⊙ (dy − Σ dy⊙y)` for one row.
@inline(__always)
func softmaxBackwardRow(
    _ forward: UnsafePointer<Float>, _ incoming: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, _ width: Int
) {
    var dot: Float = 0
    for index in 0..<width { dot += incoming[index] * forward[index] }
    for index in 0..<width { output[index] = forward[index] * (incoming[index] - dot) }
}
