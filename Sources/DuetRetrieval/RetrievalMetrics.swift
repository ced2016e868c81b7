/// Recall at k and median rank over a set of 1-based ranks.
public struct RetrievalMetrics: Codable, Sendable, Equatable {
    /// Share of queries (in percent, as the paper reports) whose target ranks at most 1, 5, 10.
    public var recallAt1: Double
    public var recallAt5: Double
    public var recallAt10: Double
    /// Median rank. For an even number of queries it is the mean of the two middle ranks.
    public var medianRank: Double
    public var queryCount: Int

    public init(recallAt1: Double, recallAt5: Double, recallAt10: Double, medianRank: Double, queryCount: Int) {
        self.recallAt1 = recallAt1
        self.recallAt5 = recallAt5
        self.recallAt10 = recallAt10
        self.medianRank = medianRank
        self.queryCount = queryCount
    }

    /// Metrics of `ranks` (1-based).
    public init(ranks: [Int]) {
        precondition(!ranks.isEmpty, "metrics of an empty rank list")
        precondition(ranks.allSatisfy { $0 >= 1 }, "ranks are 1-based")
        func recall(_ k: Int) -> Double { 100 * Double(ranks.count { $0 <= k }) / Double(ranks.count) }
        let sorted = ranks.sorted()
        let middle = sorted.count / 2
        let median = sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
        self.init(recallAt1: recall(1), recallAt5: recall(5), recallAt10: recall(10), medianRank: median, queryCount: ranks.count)
    }

    /// Recall at an arbitrary `k`, in percent.
    public static func recall(at k: Int, ranks: [Int]) -> Double {
        ranks.isEmpty ? 0 : 100 * Double(ranks.count { $0 <= k }) / Double(ranks.count)
    }
}
