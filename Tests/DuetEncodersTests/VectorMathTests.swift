import Foundation
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
        #expect(largest <= 3e-7, "largest relative difference \(largest)")
    }

    @Test func erfWithinFiveInTenMillion() {
        var largest: Double = 0
        for x in Self.grid { largest = max(largest, abs(Double(VectorMath.erf(x)) - Foundation.erf(Double(x)))) }
        #expect(largest <= 5e-7, "largest absolute difference \(largest)")
    }

    @Test func geluMatchesExactGELU() {
        var largest: Double = 0
        for x in Self.grid {
            let exact = 0.5 * Double(x) * (1 + Foundation.erf(Double(x) / 2.0.squareRoot()))
            largest = max(largest, abs(Double(VectorMath.gelu(x)) - exact))
        }
        #expect(largest <= 2e-6, "largest absolute difference \(largest)")
    }
}
