/// The fused affine map of a linear layer, as `torch.nn.functional.linear(x, W, b)`.
extension Tensor {
    /// `y = x·Wᵀ + b` over the last axis: `x` is `[..., in]`, `weight` `[out, in]` (PyTorch's
    /// layout), `bias` `[out]`; the result is `[..., out]`. One sgemm forward (the bias is written
    /// first and accumulated with β = 1); backward `dx = dy·W`, `dW = dyᵀ·x`, `db = Σ_rows dy`.
    public static func linear(_ input: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
        precondition(weight.rank == 2 && input.rank >= 1 && input.shape.last == weight.shape[1],
                     "linear of \(input.shape) with weight \(weight.shape) (needs [out, \(input.shape.last ?? 0)])")
        let inputWidth = weight.shape[1]
        let outputWidth = weight.shape[0]
        if let bias { precondition(bias.shape == [outputWidth], "linear bias \(bias.shape) for weight \(weight.shape)") }
        let rows = input.count / Swift.max(1, inputWidth)
        let output = [Float].uninitialized(rows * outputWidth) { target in
            let c = target.baseAddress!
            if let bias {
                bias.withValues { b in
                    for row in 0..<rows { (c + row * outputWidth).update(from: b, count: outputWidth) }
                }
            }
            input.withValues { x in
                weight.withValues { w in
                    sgemm(x, w, c, m: rows, n: outputWidth, k: inputWidth, transposeB: true, beta: bias == nil ? 0 : 1)
                }
            }
        }
        let inputs = bias.map { [input, weight, $0] } ?? [input, weight]
        return Tensor(output, shape: Array(input.shape.dropLast()) + [outputWidth], inputs: inputs) { result in
            let incoming = result.incomingGradient
            withPointers(incoming) { dy in
                if input.requiresGradient {
                    let gradient = [Float].uninitialized(input.count) { target in
                        weight.withValues { w in
                            sgemm(dy, w, target.baseAddress!, m: rows, n: inputWidth, k: outputWidth)
                        }
                    }
                    input.accumulateGradient(gradient)
                }
                if weight.requiresGradient {
                    let gradient = [Float].uninitialized(weight.count) { target in
                        input.withValues { x in
                            sgemm(dy, x, target.baseAddress!, m: outputWidth, n: inputWidth, k: rows, transposeA: true)
                        }
                    }
                    weight.accumulateGradient(gradient)
                }
                if let bias, bias.requiresGradient {
                    var gradient = [Float].zeros(outputWidth)
                    withMutablePointer(&gradient) { db in
                        for row in 0..<rows {
                            let source = dy + row * outputWidth
                            for column in 0..<outputWidth { db[column] += source[column] }
                        }
                    }
                    bias.accumulateGradient(gradient)
                }
            }
        }
    }
}
