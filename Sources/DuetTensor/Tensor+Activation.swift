#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Element-wise non-linearities, each forward beside its derivative.
extension Tensor {
    /// `max(x, 0)`. Backward: `dy` where `x > 0`, else 0.
    public func relu() -> Tensor {
        Tensor.unary(self) { input, output, count in
            for index in 0..<count { output[index] = input[index] > 0 ? input[index] : 0 }
        } backward: { input, _, gradient, target, count in
            for index in 0..<count { target[index] = input[index] > 0 ? gradient[index] : 0 }
        }
    }

    /// GELU in its exact (erf) form, as `torch.nn.functional.gelu(x)` (approximate="none"):
    /// `y = x·Φ(x) = ½x(1 + erf(x/√2))`. Backward: `dy/dx = Φ(x) + x·φ(x)`, `φ(x) = e^{-x²/2}/√(2π)`.
    ///
    /// One pass computes `e^{-x²/2}` once for both `erf` and `φ` and keeps `dy/dx` for the
    /// backward, which is then a single multiply.
    public func gelu() -> Tensor {
        var derivative = [Float].uninitialized(count) { _ in }
        let output = [Float].uninitialized(count) { target in
            withValues { input in
                withMutablePointer(&derivative) { slope in
                    Parallelism.forEachChunk(count, minimumChunk: 16384) { range in
                        for index in range {
                            let x = input[index]
                            let magnitude = Swift.abs(x * 0.707_106_77)
                            let gaussian = fastExp(-magnitude * magnitude)
                            let cdf = 0.5 * (1 + erfMagnitude(magnitude, gaussian: gaussian, negative: x < 0))
                            target[index] = x * cdf
                            slope[index] = cdf + x * gaussian * 0.398_942_28
                        }
                    }
                }
            }
        }
        return Tensor(output, shape: shape, inputs: [self]) { [self] result in
            let gradient = [Float].uninitialized(self.count) { target in
                withPointers(result.incomingGradient) { incoming in
                    withPointers(derivative) { slope in
                        Parallelism.forEachChunk(self.count, minimumChunk: 16384) { range in
                            for index in range { target[index] = incoming[index] * slope[index] }
                        }
                    }
                }
            }
            self.accumulateGradient(gradient)
        }
    }

    /// `eˣ`. Backward: `dy·y`.
    public func exp() -> Tensor {
        Tensor.unary(self) { input, output, count in
            for index in 0..<count { output[index] = fastExp(input[index]) }
        } backward: { _, forward, gradient, target, count in
            for index in 0..<count { target[index] = gradient[index] * forward[index] }
        }
    }

    /// Natural logarithm. Backward: `dy/x`.
    public func log() -> Tensor {
        Tensor.unary(self) { input, output, count in
            for index in 0..<count { output[index] = logf(input[index]) }
        } backward: { input, _, gradient, target, count in
            for index in 0..<count { target[index] = gradient[index] / input[index] }
        }
    }

    /// `√x`. Backward: `dy / (2y)`.
    public func sqrt() -> Tensor {
        Tensor.unary(self) { input, output, count in
            for index in 0..<count { output[index] = input[index].squareRoot() }
        } backward: { _, forward, gradient, target, count in
            for index in 0..<count { target[index] = gradient[index] * 0.5 / forward[index] }
        }
    }

    /// Hyperbolic tangent. Backward: `dy·(1 − y²)`.
    public func tanh() -> Tensor {
        Tensor.unary(self) { input, output, count in
            for index in 0..<count { output[index] = tanhf(input[index]) }
        } backward: { _, forward, gradient, target, count in
            for index in 0..<count { target[index] = gradient[index] * (1 - forward[index] * forward[index]) }
        }
    }

    /// `x²`. Backward: `2x·dy`.
    public func squared() -> Tensor {
        Tensor.unary(self) { input, output, count in
            for index in 0..<count { output[index] = input[index] * input[index] }
        } backward: { input, _, gradient, target, count in
            for index in 0..<count { target[index] = 2 * input[index] * gradient[index] }
        }
    }
}
