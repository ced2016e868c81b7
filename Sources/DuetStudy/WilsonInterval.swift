import Foundation

/// The Wilson score interval of a binomial proportion (Wilson 1927; Agresti & Coull 1998): for k successes
/// in n trials, p̂ = k/n and z the normal quantile,
///
///     centre = (p̂ + z²/2n) / (1 + z²/n)
///     half   = z / (1 + z²/n) · √(p̂(1 − p̂)/n + z²/4n²)
///
/// Unlike the normal (Wald) interval it stays inside [0, 1] and does not collapse to a point at k = 0 or
/// k = n, which matters for the small counts of a listening study.
public struct WilsonInterval: Codable, Sendable, Equatable {
    public var low: Double
    public var high: Double

    public init(low: Double, high: Double) {
        self.low = low
        self.high = high
    }

    /// z for a two-sided 95 % interval (the 0.975 quantile of the standard normal).
    public static let z95 = 1.959963984540054

    /// The interval for `successes` of `trials`; nil when there are no trials.
    /// - Precondition: `0 <= successes <= trials`.
    public init?(successes: Int, trials: Int, z: Double = WilsonInterval.z95) {
        precondition(successes >= 0 && successes <= trials, "\(successes) successes of \(trials) trials")
        guard trials > 0 else { return nil }
        let n = Double(trials)
        let p = Double(successes) / n
        let z2 = z * z
        let denominator = 1 + z2 / n
        let centre = (p + z2 / (2 * n)) / denominator
        let half = z / denominator * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        self.init(low: max(0, centre - half), high: min(1, centre + half))
    }
}
