/// The TextSwap curriculum (paper, section 5.1): the probability that a training pair gets hard
/// negatives, as a pure function of the (0-based) epoch.
///
///     p(e) = 0                                          for e < warmupEpochs
///     p(e) = maximum · min(1, (e − warmupEpochs) / rampEpochs)   otherwise
///
/// With the defaults (5, 20, 0.15): epochs 0–5 give 0, epoch 15 gives 0.075, epoch 25 and later
/// give 0.15. `rampEpochs = 0` jumps to the maximum right after the warm-up.
public struct SwapCurriculum: Codable, Sendable, Equatable {
    public var warmupEpochs: Int
    public var rampEpochs: Int
    public var maximumProbability: Double

    public init(warmupEpochs: Int = 5, rampEpochs: Int = 20, maximumProbability: Double = 0.15) {
        precondition(warmupEpochs >= 0 && rampEpochs >= 0, "epochs must be non-negative, got \(warmupEpochs) and \(rampEpochs)")
        precondition((0...1).contains(maximumProbability), "maximumProbability must be in [0, 1], got \(maximumProbability)")
        self.warmupEpochs = warmupEpochs
        self.rampEpochs = rampEpochs
        self.maximumProbability = maximumProbability
    }

    /// The swap probability at `epoch`.
    public func probability(epoch: Int) -> Double {
        if epoch < warmupEpochs { return 0 }
        if rampEpochs == 0 { return maximumProbability }
        return maximumProbability * min(1, Double(epoch - warmupEpochs) / Double(rampEpochs))
    }
}
