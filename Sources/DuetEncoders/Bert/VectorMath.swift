import DuetTensor

/// The branch-free `exp`, `erf` and GELU the BERT kernels use inside their vectorised loops: the
/// engine's `fastExp` / `fastErf` (relative error below 2e-7 and absolute below 1.5e-7), inlined
/// across the module boundary.
enum VectorMath {
    @inline(__always)
    static func exp(_ x: Float) -> Float { fastExp(x) }

    @inline(__always)
    static func erf(_ x: Float) -> Float { fastErf(x) }

    /// The exact GELU `x Φ(x) = x / 2 (1 + erf(x / √2))`.
    @inline(__always)
    static func gelu(_ x: Float) -> Float {
        0.5 * x * (1 + erf(x * 0.70710678118654752))
    }
}
