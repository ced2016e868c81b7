import Foundation
import DuetTestSupport
import Testing
@testable import DuetEncoders

@Suite struct VectorMathTests {
    static let grid: [Float] = stride(from: -12, through: 12, by: 0.0007).map { Float($0) }

    @Test func expMatchesLibmWithinFewUlp() {
        var largest: Double = 0
        for x in stride(from: -87, through: 88, by: 0.013).map({ Float($0) }) {
            let reference = Foundation.exp(Double(x))
            largest = max(largest, abs(Double(VectorMath.exp(x)) - reference) / reference)
        }
        // fastExp's documented relative error (2e-7) plus the float32 rounding of its result; the
        // reference is double precision, so nothing here depends on the machine.
        #expect(largest <= 2e-7 + Double(Tolerance.float32Roundoff), "largest relative difference \(largest)")
    }

    @Test func erfWithinItsDocumentedBound() {
        var largest: Double = 0
        for x in Self.grid { largest = max(largest, abs(Double(VectorMath.erf(x)) - Foundation.erf(Double(x)))) }
        // fastErf's error bound (see its documentation): A&S 1.5e-7 + fastExp's 2e-7 + 8 u of rounding.
        let bound = 1.5e-7 + 2e-7 + 8 * Double(Tolerance.float32Roundoff)
        #expect(largest <= bound, "largest absolute difference \(largest)")
    }

    @Test func geluMatchesExactGELU() {
        var largest: Double = 0
        for x in Self.grid {
            let exact = 0.5 * Double(x) * (1 + Foundation.erf(Double(x) / 2.0.squareRoot()))
            largest = max(largest, abs(Double(VectorMath.gelu(x)) - exact))
        }
        // GELU = x/2 (1 + erf(x/√2)): fastErf's bound (above) scaled by |x|/2 ≤ 6 on this grid, plus the
        // float32 rounding of results up to 12 (two operations, 2 · 12 u).
        let erfBound = 1.5e-7 + 2e-7 + 8 * Double(Tolerance.float32Roundoff)
        #expect(largest <= 6 * erfBound + 24 * Double(Tolerance.float32Roundoff), "largest absolute difference \(largest)")
    }

    @Test func quickGELUMatchesItsDefinition() {
        let u = Double(Tolerance.float32Roundoff)
        var worst: Double = 0
        for x in Self.grid {
            let exact = Double(x) / (1 + Foundation.exp(-1.702 * Double(x)))
            // Relative: fastExp's 2e-7, its argument's rounding carried as |1.702 x| u, and about four
            // roundings (product, sum, quotient, the constant 1.702 in float32).
            let bound = abs(exact) * (2e-7 + (1.702 * Double(abs(x)) + 4) * u) + Double(Float.leastNormalMagnitude)
            worst = max(worst, abs(Double(VectorMath.quickGELU(x)) - exact) / bound)
        }
        #expect(worst <= 1, "largest difference is \(worst) of its bound")
    }

    @Test func tanhGELUMatchesItsDefinition() {
        let u = Double(Tolerance.float32Roundoff)
        var largest: Double = 0
        for x in Self.grid {
            let value = Double(x)
            let exact = 0.5 * value * (1 + Foundation.tanh(0.7978845608028654 * (value + 0.044715 * value * value * value)))
            largest = max(largest, abs(Double(VectorMath.tanhGELU(x)) - exact))
        }
        // tanh(z) = 1 − 2/(e^{2z} + 1): a relative error ε of e^{2z} (fastExp's 2e-7 and the rounding of
        // 2z, 2|z| u) moves it by at most ε · 2e^{2z}/(e^{2z}+1)² = ε sech²(z) / 2, and |z| sech²(z) < 0.45;
        // the rounding of z itself (five operations, 5 |z| u) moves it by 5 |z| u sech²(z) < 2.3 u; then two
        // roundings. Times |x|/2 ≤ 6 on this grid, plus the rounding of results up to 12 (two operations).
        let tanhBound = 1e-7 + 0.45 * u + 2.3 * u + 2 * u
        #expect(largest <= 6 * tanhBound + 24 * u, "largest absolute difference \(largest)")
    }
}
