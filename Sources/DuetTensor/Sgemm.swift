import CBLAS

/// Row-major single-precision matrix multiply on OpenBLAS:
/// `c = alpha * op(a) * op(b) + beta * c`, with `op(a)` of shape `[m, k]` and `op(b)` of `[k, n]`.
///
/// - Parameters:
///   - transposeA: `a` is stored as `[k, m]` and read transposed.
///   - transposeB: `b` is stored as `[n, k]` and read transposed.
@inline(__always)
public func sgemm(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
    m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false,
    alpha: Float = 1, beta: Float = 0
) {
    _ = Parallelism.threadCount  // applies the process-wide thread setting before the first call
    cblas_sgemm(
        CblasRowMajor,
        transposeA ? CblasTrans : CblasNoTrans,
        transposeB ? CblasTrans : CblasNoTrans,
        Int32(m), Int32(n), Int32(k), alpha,
        a, Int32(transposeA ? m : k),
        b, Int32(transposeB ? k : n),
        beta, c, Int32(n))
}

/// Row-major `sgemm` with explicit leading dimensions, for operating on sub-matrices in place
/// (for example one attention head inside a packed `[time, 3·channels]` projection).
@inline(__always)
public func sgemm(
    _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
    _ c: UnsafeMutablePointer<Float>, ldc: Int,
    m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false,
    alpha: Float = 1, beta: Float = 0
) {
    _ = Parallelism.threadCount
    cblas_sgemm(
        CblasRowMajor,
        transposeA ? CblasTrans : CblasNoTrans,
        transposeB ? CblasTrans : CblasNoTrans,
        Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}
