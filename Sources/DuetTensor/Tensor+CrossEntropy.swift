#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Fused softmax cross-entropy, as `torch.nn.functional.cross_entropy(logits, targets)` (mean).
extension Tensor {
    /// `L = −(1/N) Σᵢ log softmax(zᵢ)[tᵢ]` for logits `[N, C]` and class indices `targets` (N of
    /// them, each in `0..<C`). Backward: `dz = (softmax(z) − onehot(t)) / N`.
    public func crossEntropy(targets: [Int]) -> Tensor {
        precondition(rank == 2 && targets.count == shape[0], "crossEntropy of \(shape) with \(targets.count) targets")
        let rows = shape[0]
        let width = shape[1]
        var probabilities = [Float].zeros(count)
        var total: Double = 0
        withValues { logits in
            withMutablePointer(&probabilities) { probabilities in
                for row in 0..<rows {
                    precondition(targets[row] >= 0 && targets[row] < width, "target \(targets[row]) out of range for \(width) classes")
                    let z = logits + row * width
                    var maximum = -Float.infinity
                    for index in 0..<width { maximum = Swift.max(maximum, z[index]) }
                    var sum: Float = 0
                    for index in 0..<width {
                        let value = fastExp(z[index] - maximum)
                        probabilities[row * width + index] = value
                        sum += value
                    }
                    for index in 0..<width { probabilities[row * width + index] /= sum }
                    total += Double(logf(sum)) - Double(z[targets[row]] - maximum)
                }
            }
        }
        let loss = Float(total / Double(Swift.max(1, rows)))
        return Tensor([loss], shape: [], inputs: [self]) { [self] result in
            let scale = result.incomingGradient[0] / Float(Swift.max(1, rows))
            var gradient = probabilities
            for row in 0..<rows { gradient[row * width + targets[row]] -= 1 }
            for index in 0..<gradient.count { gradient[index] *= scale }
            self.accumulateGradient(gradient)
        }
    }
}
