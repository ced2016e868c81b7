import Foundation

/// How far two float32 results may differ: `|actual - expected| <= absolute + relative * |expected|`.
///
/// Tolerances are derived from the float32 error of the computation, never from what one machine
/// printed, so that they hold under every OpenBLAS kernel (`OPENBLAS_CORETYPE`) and thread count.
/// The model is the classical one (Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed.,
/// §3.1): a sum of `n` terms evaluated in any order in floating point with unit roundoff `u` is within
/// `γ(n) · Σ|term|` of the exact sum, `γ(n) = n u / (1 - n u)`. Two evaluations in different orders
/// (another sgemm kernel, blocking, or threading) are therefore within `2 γ(n) Σ|term|` of each other.
///
/// That worst case grows with `n`; real rounding errors behave like independent random variables and
/// grow with `√n`. Higham and Mary ("A new approach to probabilistic rounding error analysis", SIAM J.
/// Sci. Comput. 41(5), 2019, Theorem 2.4) prove that the same sum is within `γ̃(n) Σ|term|`,
/// `γ̃(n) = exp(λ √n u + n u² / (1 - u)) - 1 ≈ λ √n u`, with probability at least
/// `1 - 2n exp(-λ² (1 - u)² / 2)`. With λ = 6 that failure probability is below `3·10⁻⁸ n` per sum: the
/// default here, tight enough to catch a wrong kernel and loose enough for every machine.
public struct Tolerance: CustomStringConvertible, Sendable {
    public var absolute: Float
    public var relative: Float

    public init(absolute: Float = 0, relative: Float = 0) {
        self.absolute = absolute
        self.relative = relative
    }

    /// Bit-for-bit equality: only where both sides run the same operations in the same order.
    public static let exact = Tolerance()

    /// Unit roundoff of float32 (round to nearest), 2⁻²⁴.
    public static let float32Roundoff: Float = 0x1p-24
    /// Unit roundoff of IEEE half precision, 2⁻¹¹ (fixtures stored as float16).
    public static let float16Roundoff: Float = 0x1p-11

    /// `γ(n) = n u / (1 - n u)` for float32.
    public static func gamma(_ terms: Int) -> Float {
        let nu = Float(max(terms, 1)) * float32Roundoff
        precondition(nu < 0.5, "γ(n) is meaningless for \(terms) terms in float32")
        return nu / (1 - nu)
    }

    /// The probabilistic bound `γ̃(n)` above for float32, with confidence parameter `lambda`.
    public static func probabilisticGamma(_ terms: Int, lambda: Float = 6) -> Float {
        let n = Float(max(terms, 1))
        let u = float32Roundoff
        return Float(expm1(Double(lambda * n.squareRoot() * u + n * u * u / (1 - u))))
    }

    /// Two float32 evaluations of the same maths that differ only in summation order (probabilistic
    /// bound, see the type's documentation; `worstCase: true` uses `γ(n)` instead).
    ///
    /// - Parameters:
    ///   - terms: the longest reduction on the path to the compared values (e.g. a matrix product's inner size).
    ///   - magnitude: a bound on `Σ|term|` of that reduction, in the compared values' units (for a product
    ///     `y = W x`: `max Σ_j |W_ij x_j|`; for normalised activations this is of the order of the values).
    ///   - layers: how many such reductions lie one after another on the path; their errors add, each
    ///     carried forward with a gain of at most `gain` (e.g. a layer norm's 1/σ, or a saturating
    ///     nonlinearity's slope bound).
    public static func reordered(
        terms: Int, magnitude: Float, layers: Int = 1, gain: Float = 1, worstCase: Bool = false
    ) -> Tolerance {
        var total: Float = 0
        var carried: Float = 1
        for _ in 0..<max(layers, 1) {
            total += carried
            carried *= gain
        }
        let perSum = worstCase ? gamma(terms) : probabilisticGamma(terms)
        return Tolerance(absolute: 2 * perSum * magnitude * total)
    }

    /// The sum of two tolerances: independent error sources add.
    public static func + (lhs: Tolerance, rhs: Tolerance) -> Tolerance {
        Tolerance(absolute: lhs.absolute + rhs.absolute, relative: lhs.relative + rhs.relative)
    }

    public var description: String { "atol \(absolute), rtol \(relative)" }
}

extension Tolerance {
    /// An upper bound on `Σ_j |a_j b_j|` for any `terms`-long dot product of entries of `left` and
    /// `right`: `terms · max|left| · max|right|` (the `magnitude` argument of `reordered`).
    public static func dotProductMagnitude(terms: Int, _ left: [Float], _ right: [Float]) -> Float {
        Float(terms) * largestMagnitude(left) * largestMagnitude(right)
    }

    /// `max |value|` (0 for an empty array).
    public static func largestMagnitude(_ values: [Float]) -> Float { values.reduce(0) { max($0, abs($1)) } }
}
