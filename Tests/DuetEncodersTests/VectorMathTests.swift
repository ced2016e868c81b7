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
}
