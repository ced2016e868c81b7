import DuetStudy
import Testing

/// Wilson intervals against values worked by hand with z = 1.959964 (z² = 3.841459), rounded to 4 places:
///
/// - 7 of 10: p̂ = 0.7, z²/n = 0.384146, centre = (0.7 + 0.192073) / 1.384146 = 0.644493,
///   half = 1.959964 / 1.384146 · √(0.021 + 0.009604) = 1.416010 · 0.174939 = 0.247715 → [0.3968, 0.8922];
/// - 0 of 10: centre = 0.192073 / 1.384146 = 0.138766, half = 1.416010 · √0.009604 = 0.138766 → [0, 0.2775];
/// - 10 of 10: the mirror image → [0.7225, 1];
/// - 2 of 3: z²/n = 1.280486, centre = (0.666667 + 0.640243) / 2.280486 = 0.573085,
///   half = 0.859450 · √(0.074074 + 0.106707) = 0.365424 → [0.2077, 0.9385];
/// - 1 of 2: centre 0.5, half = 1.959964 / 2.920730 · √(0.125 + 0.240091) = 0.671048 · 0.604228 = 0.405466
///   → [0.0945, 0.9055].
@Suite struct WilsonIntervalTests {
    @Test(arguments: [
        (7, 10, 0.3968, 0.8922), (0, 10, 0.0, 0.2775), (10, 10, 0.7225, 1.0), (2, 3, 0.2077, 0.9385), (1, 2, 0.0945, 0.9055),
    ])
    func handComputedIntervals(successes: Int, trials: Int, low: Double, high: Double) throws {
        let interval = try #require(WilsonInterval(successes: successes, trials: trials))
        // The hand values are rounded to 4 places: half a unit of the last place.
        #expect(abs(interval.low - low) <= 0.00005, "low \(interval.low) vs \(low)")
        #expect(abs(interval.high - high) <= 0.00005, "high \(interval.high) vs \(high)")
    }

    @Test func noTrialsNoInterval() {
        #expect(WilsonInterval(successes: 0, trials: 0) == nil)
    }
}
