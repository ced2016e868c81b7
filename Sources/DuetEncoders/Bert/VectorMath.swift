/// Branch-free `exp` and `erf` for Float32 that the compiler can vectorise (no libm calls in the
/// loop), for the GELU and the attention softmax.
enum VectorMath {
    /// `e^x` to about 2 ulp: `x = k ln 2 + r` with `|r| ≤ ln 2 / 2` (ln 2 split in a high and a low
    /// part so `r` is exact), `e^r` by its degree-7 Taylor polynomial (truncation below 5e-9
    /// relative), and `2^k` built in the exponent bits. Inputs are clamped to [-87.3, 88.7], the
    /// range where the result is a normal float (below it the result is ~1e-38, not 0).
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        let clamped = min(max(x, -87.3), 88.7)
        // Adding 1.5 * 2^23 rounds to the nearest integer k and leaves k + 2^22 in the low
        // mantissa bits, so 2^k is ((bits + 127) << 23) with integer ops only (no conversion).
        let shifted = clamped * 1.44269504088896341 + 12582912
        let k = shifted - 12582912
        let r = clamped - k * 0.693359375 + k * 2.12194440e-4
        var p: Float = 1.0 / 5040
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        return p * Float(bitPattern: (shifted.bitPattern &+ 127) &<< 23)
    }

    /// `erf(x)` to 5e-7 absolute (1.5e-7 from the formula, the rest Float32 rounding):
    /// Abramowitz & Stegun 7.1.26,
    /// `erf(x) = 1 - (a₁t + a₂t² + a₃t³ + a₄t⁴ + a₅t⁵) e^{-x²}`, `t = 1 / (1 + p x)` for
    /// `x ≥ 0` (error ≤ 1.5e-7), odd symmetry for `x < 0`.
    @inline(__always)
    static func erf(_ x: Float) -> Float {
        let magnitude = abs(x)
        let t = 1 / (1 + 0.3275911 * magnitude)
        var polynomial: Float = 1.061405429
        polynomial = polynomial * t - 1.453152027
        polynomial = polynomial * t + 1.421413741
        polynomial = polynomial * t - 0.284496736
        polynomial = polynomial * t + 0.254829592
        let value = 1 - polynomial * t * exp(-magnitude * magnitude)
        return x < 0 ? -value : value
    }

    /// The exact GELU `x Φ(x) = x / 2 (1 + erf(x / √2))`, with ``erf(_:)``.
    @inline(__always)
    static func gelu(_ x: Float) -> Float {
        0.5 * x * (1 + erf(x * 0.70710678118654752))
    }
}
