import DuetTensor

/// The branch-free `exp`, `erf` and GELU variants the encoder kernels use inside their vectorised
/// loops: the engine's `fastExp` / `fastErf` (relative error below 2e-7 and absolute below
/// 1.5e-7), inlined across the module boundary.
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

    /// CLIP's sigmoid approximation of GELU, `x σ(1.702 x) = x / (1 + e^{−1.702 x})`
    /// (`QuickGELUActivation` in `transformers`' `activations.py`).
    @inline(__always)
    static func quickGELU(_ x: Float) -> Float {
        x / (1 + exp(-1.702 * x))
    }

    /// The tanh approximation of GELU, `x / 2 (1 + tanh(√(2/π) (x + 0.044715 x³)))` (`gelu_new`,
    /// `NewGELUActivation` in `transformers`, as in T5 v1.1 and mT5), with
    /// `tanh(z) = 1 − 2 / (e^{2z} + 1)` so the loop vectorises.
    @inline(__always)
    static func tanhGELU(_ x: Float) -> Float {
        let z = 0.79788456080286536 * (x + 0.044715 * x * x * x)
        let tanh = 1 - 2 / (exp(2 * z) + 1)
        return 0.5 * x * (1 + tanh)
    }
}
