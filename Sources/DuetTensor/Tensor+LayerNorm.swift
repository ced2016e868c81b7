/// Layer normalisation over the last axis with an affine weight and bias, as
/// `torch.nn.functional.layer_norm(x, (C,), weight, bias, eps)`:
/// `y = (x − μ)/√(σ² + ε) · w + b`, with `μ`, `σ²` (biased) over the last axis of extent `C`.
extension Tensor {
    /// - Parameters:
    ///   - weight: `[C]` scale.
    ///   - bias: `[C]` shift.
    ///   - epsilon: added to the variance (PyTorch default 1e-5).
    ///
    /// Backward, with `x̂ = (x − μ)·r`, `r = 1/√(σ² + ε)`, `ĝ = dy ⊙ w`:
    /// `dx = r·(ĝ − mean(ĝ) − x̂·mean(ĝ ⊙ x̂))`, `dw = Σ dy ⊙ x̂`, `db = Σ dy` (sums over rows).
    public func layerNorm(weight: Tensor, bias: Tensor, epsilon: Float = 1e-5) -> Tensor {
        let width = shape.last ?? 1
        precondition(weight.shape == [width] && bias.shape == [width],
                     "layerNorm of \(shape) needs weight and bias of [\(width)], got \(weight.shape) and \(bias.shape)")
        let rows = count / Swift.max(1, width)
        var normalised = [Float].zeros(count)
        var reciprocals = [Float].zeros(rows)
        let chunk = Swift.max(1, 8192 / Swift.max(1, width))
        let output = [Float].uninitialized(count) { target in
            withValues { input in
                weight.withValues { w in
                    bias.withValues { b in
                        withMutablePointer(&normalised) { normalised in
                            withMutablePointer(&reciprocals) { reciprocals in
                                Parallelism.forEachChunk(rows, minimumChunk: chunk) { range in
                                    for row in range {
                                        let x = input + row * width
                                        let xhat = normalised + row * width
                                        let y = target.baseAddress! + row * width
                                        var mean: Float = 0
                                        for index in 0..<width { mean += x[index] }
                                        mean /= Float(width)
                                        var variance: Float = 0
                                        for index in 0..<width { let d = x[index] - mean; variance += d * d }
                                        variance /= Float(width)
                                        let reciprocal = 1 / (variance + epsilon).squareRoot()
                                        reciprocals[row] = reciprocal
                                        for index in 0..<width {
                                            let value = (x[index] - mean) * reciprocal
                                            xhat[index] = value
                                            y[index] = value * w[index] + b[index]
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(output, shape: shape, inputs: [self, weight, bias]) { [self] result in
            let incoming = result.incomingGradient
            if self.requiresGradient {
                let gradient = [Float].uninitialized(self.count) { target in
                    withPointers(incoming) { g in
                        withPointers(normalised) { normalised in
                            withPointers(reciprocals) { reciprocals in
                                weight.withValues { w in
                                    Parallelism.forEachChunk(rows, minimumChunk: chunk) { range in
                                        for row in range {
                                            let dy = g + row * width
                                            let xhat = normalised + row * width
                                            let dx = target.baseAddress! + row * width
                                            var meanG: Float = 0
                                            var meanGX: Float = 0
                                            for index in 0..<width {
                                                let scaled = dy[index] * w[index]
                                                meanG += scaled
                                                meanGX += scaled * xhat[index]
                                            }
                                            meanG /= Float(width)
                                            meanGX /= Float(width)
                                            let r = reciprocals[row]
                                            for index in 0..<width {
                                                dx[index] = r * (dy[index] * w[index] - meanG - xhat[index] * meanGX)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                self.accumulateGradient(gradient)
            }
            if weight.requiresGradient || bias.requiresGradient {
                var weightGradient = [Float].zeros(width)
                var biasGradient = [Float].zeros(width)
                withPointers(incoming) { g in
                    withPointers(normalised) { xhat in
                        withMutablePointer(&weightGradient) { dw in
                            withMutablePointer(&biasGradient) { db in
                                for row in 0..<rows {
                                    let dy = g + row * width
                                    let x = xhat + row * width
                                    for index in 0..<width {
                                        dw[index] += dy[index] * x[index]
                                        db[index] += dy[index]
                                    }
                                }
                            }
                        }
                    }
                }
                weight.accumulateGradient(weightGradient)
                bias.accumulateGradient(biasGradient)
            }
        }
    }

    /// `x / max(‖x‖₂, ε)` over the last axis, as `torch.nn.functional.normalize(x, dim=-1, eps=ε)`.
    /// Backward (where `‖x‖ > ε`): `dx = (dy − y·Σ dy⊙y) / ‖x‖`; where clamped: `dx = dy/ε`.
    public func l2Normalized(epsilon: Float = 1e-12) -> Tensor {
        let width = shape.last ?? 1
        let rows = count / Swift.max(1, width)
        var norms = [Float].zeros(rows)
        let output = [Float].uninitialized(count) { target in
            withValues { input in
                for row in 0..<rows {
                    let x = input + row * width
                    var total: Float = 0
                    for index in 0..<width { total += x[index] * x[index] }
                    let norm = Swift.max(total.squareRoot(), epsilon)
                    norms[row] = norm
                    let scale = 1 / norm
                    for index in 0..<width { target[row * width + index] = x[index] * scale }
                }
            }
        }
        return Tensor(output, shape: shape, inputs: [self]) { [self] result in
            let gradient = [Float].uninitialized(self.count) { target in
                withPointers(result.incomingGradient) { g in
                    withPointers(result.storage) { y in
                        for row in 0..<rows {
                            let dy = g + row * width
                            let value = y + row * width
                            let dx = target.baseAddress! + row * width
                            let norm = norms[row]
                            if norm > epsilon {
                                var dot: Float = 0
                                for index in 0..<width { dot += dy[index] * value[index] }
                                for index in 0..<width { dx[index] = (dy[index] - value[index] * dot) / norm }
                            } else {
                                for index in 0..<width { dx[index] = dy[index] / epsilon }
                            }
                        }
                    }
                }
            }
            self.accumulateGradient(gradient)
        }
    }
}
