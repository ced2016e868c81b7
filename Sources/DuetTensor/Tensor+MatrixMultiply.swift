/// Matrix products on `cblas_sgemm`.
extension Tensor {
    /// `lhs · rhs` over the last two axes.
    ///
    /// Shapes: `[..., m, k] · [..., k, n] -> [..., m, n]` with equal leading (batch) axes, or
    /// `[..., m, k] · [k, n] -> [..., m, n]` where one matrix is shared by every row (a linear layer).
    /// With `transposeRight`, `rhs` is stored as `[..., n, k]` (as PyTorch stores `Linear` weights).
    ///
    /// Backward: `dL/dlhs = dL/dout · rhsᵀ`, `dL/drhs = lhsᵀ · dL/dout` (summed over rows for a shared rhs).
    public static func matmul(_ lhs: Tensor, _ rhs: Tensor, transposeRight: Bool = false) -> Tensor {
        precondition(lhs.rank >= 2 && rhs.rank >= 2, "matmul needs matrices, got \(lhs.shape) and \(rhs.shape)")
        let k = lhs.shape[lhs.rank - 1]
        let rhsK = transposeRight ? rhs.shape[rhs.rank - 1] : rhs.shape[rhs.rank - 2]
        let n = transposeRight ? rhs.shape[rhs.rank - 2] : rhs.shape[rhs.rank - 1]
        precondition(k == rhsK, "matmul inner extents differ: \(lhs.shape) and \(rhs.shape)\(transposeRight ? " (right transposed)" : "")")

        if rhs.rank == 2 {
            // Shared right matrix: fold every leading axis of lhs into the rows of one sgemm.
            let m = lhs.count / max(1, k)
            var output = [Float](repeating: 0, count: m * n)
            multiply(lhs.storage, rhs.storage, &output, m: m, n: n, k: k, transposeB: transposeRight)
            let shape = Array(lhs.shape.dropLast()) + [n]
            return Tensor(output, shape: shape, inputs: [lhs, rhs]) { result in
                let gradient = result.gradient!
                if lhs.requiresGradient {
                    var lhsGradient = [Float](repeating: 0, count: lhs.count)
                    // dA[m,k] = dC[m,n] · B[k,n]ᵀ  (or · B[n,k] when stored transposed)
                    multiply(gradient, rhs.storage, &lhsGradient, m: m, n: k, k: n, transposeB: !transposeRight)
                    lhs.accumulateGradient(lhsGradient)
                }
                if rhs.requiresGradient {
                    var rhsGradient = [Float](repeating: 0, count: rhs.count)
                    if transposeRight {
                        // dB[n,k] = dC[m,n]ᵀ · A[m,k]
                        multiply(gradient, lhs.storage, &rhsGradient, m: n, n: k, k: m, transposeA: true)
                    } else {
                        // dB[k,n] = A[m,k]ᵀ · dC[m,n]
                        multiply(lhs.storage, gradient, &rhsGradient, m: k, n: n, k: m, transposeA: true)
                    }
                    rhs.accumulateGradient(rhsGradient)
                }
            }
        }

        precondition(lhs.shape.dropLast(2) == rhs.shape.dropLast(2),
                     "batched matmul needs equal batch axes: \(lhs.shape) and \(rhs.shape)")
        let m = lhs.shape[lhs.rank - 2]
        let batch = lhs.count / max(1, m * k)
        var output = [Float](repeating: 0, count: batch * m * n)
        batchedMultiply(lhs.storage, rhs.storage, &output, batch: batch, m: m, n: n, k: k, transposeB: transposeRight)
        let shape = Array(lhs.shape.dropLast()) + [n]
        return Tensor(output, shape: shape, inputs: [lhs, rhs]) { result in
            let gradient = result.gradient!
            if lhs.requiresGradient {
                var lhsGradient = [Float](repeating: 0, count: lhs.count)
                batchedMultiply(gradient, rhs.storage, &lhsGradient, batch: batch, m: m, n: k, k: n,
                                transposeB: !transposeRight)
                lhs.accumulateGradient(lhsGradient)
            }
            if rhs.requiresGradient {
                var rhsGradient = [Float](repeating: 0, count: rhs.count)
                if transposeRight {
                    batchedMultiply(gradient, lhs.storage, &rhsGradient, batch: batch, m: n, n: k, k: m, transposeA: true)
                } else {
                    batchedMultiply(lhs.storage, gradient, &rhsGradient, batch: batch, m: k, n: n, k: m, transposeA: true)
                }
                rhs.accumulateGradient(rhsGradient)
            }
        }
    }

    @inline(__always)
    static func multiply(
        _ a: [Float], _ b: [Float], _ c: inout [Float], m: Int, n: Int, k: Int,
        transposeA: Bool = false, transposeB: Bool = false
    ) {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    sgemm(a.baseAddress!, b.baseAddress!, c.baseAddress!, m: m, n: n, k: k,
                          transposeA: transposeA, transposeB: transposeB)
                }
            }
        }
    }

    /// `batch` independent products of `[m, k]·[k, n]` blocks laid out one after another.
    static func batchedMultiply(
        _ a: [Float], _ b: [Float], _ c: inout [Float], batch: Int, m: Int, n: Int, k: Int,
        transposeA: Bool = false, transposeB: Bool = false
    ) {
        guard batch > 0, m > 0, n > 0 else { return }
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    for index in 0..<batch {
                        sgemm(a.baseAddress! + index * m * k, b.baseAddress! + index * k * n,
                              c.baseAddress! + index * m * n, m: m, n: n, k: k,
                              transposeA: transposeA, transposeB: transposeB)
                    }
                }
            }
        }
    }
}
