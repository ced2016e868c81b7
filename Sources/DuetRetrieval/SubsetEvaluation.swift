import DuetRandom
import DuetTensor

/// The paper's evaluation protocol: retrieval among random subsets of `subsetSize` items (500 by
/// default), every caption of a subset's items used as a query against that subset's clips,
/// metrics averaged over subsets. A set no larger than `subsetSize` is evaluated whole, once.
public struct SubsetEvaluation: Sendable {
    public var subsetSize: Int
    public var subsetCount: Int
    public var seed: UInt64

    public init(subsetSize: Int = 500, subsetCount: Int = 10, seed: UInt64 = 0) {
        precondition(subsetSize >= 1 && subsetCount >= 1, "subset size and count must be positive")
        self.subsetSize = subsetSize
        self.subsetCount = subsetCount
        self.seed = seed
    }

    /// Mean and standard deviation (population, over subsets) of each metric.
    public struct Summary: Codable, Sendable, Equatable {
        public var mean: RetrievalMetrics
        public var standardDeviation: RetrievalMetrics
        public var subsetCount: Int
        public var subsetSize: Int
        public var itemCount: Int
        public var queryCount: Int

        public init(
            mean: RetrievalMetrics, standardDeviation: RetrievalMetrics, subsetCount: Int, subsetSize: Int,
            itemCount: Int, queryCount: Int
        ) {
            self.mean = mean
            self.standardDeviation = standardDeviation
            self.subsetCount = subsetCount
            self.subsetSize = subsetSize
            self.itemCount = itemCount
            self.queryCount = queryCount
        }
    }

    /// Evaluates text-to-music retrieval.
    /// - Parameters:
    ///   - items: `[itemCount, dimension]` clip embeddings, L2-normalised.
    ///   - queries: `[queryCount, dimension]` caption embeddings, L2-normalised.
    ///   - queryTargets: for each query, the row of its clip in `items` (several queries may share a clip).
    public func evaluate(items: [Float], queries: [Float], queryTargets: [Int], dimension: Int) -> Summary {
        let itemCount = items.count / max(1, dimension)
        precondition(itemCount > 0, "no items to retrieve")
        var queriesByItem = [[Int]](repeating: [], count: itemCount)
        for (query, target) in queryTargets.enumerated() { queriesByItem[target].append(query) }

        let whole = itemCount <= subsetSize
        let rounds = whole ? 1 : subsetCount
        var generator = SeededGenerator(seed: seed)
        var perSubset: [RetrievalMetrics] = []
        var totalQueries = 0
        for _ in 0..<rounds {
            var chosen = Array(0..<itemCount)
            if !whole {
                // Partial Fisher-Yates: the first `subsetSize` positions are a uniform sample.
                for position in 0..<subsetSize {
                    let pick = position + Int(generator.next() % UInt64(itemCount - position))
                    chosen.swapAt(position, pick)
                }
                chosen = Array(chosen.prefix(subsetSize)).sorted()
            }
            var subsetItems = [Float]()
            subsetItems.reserveCapacity(chosen.count * dimension)
            var subsetQueries = [Float]()
            var targets: [Int] = []
            for (row, item) in chosen.enumerated() {
                subsetItems.append(contentsOf: items[(item * dimension)..<((item + 1) * dimension)])
                for query in queriesByItem[item] {
                    subsetQueries.append(contentsOf: queries[(query * dimension)..<((query + 1) * dimension)])
                    targets.append(row)
                }
            }
            guard !targets.isEmpty else { continue }
            let ranks = RetrievalRanks.compute(queries: subsetQueries, items: subsetItems, dimension: dimension, targets: targets)
            perSubset.append(RetrievalMetrics(ranks: ranks))
            totalQueries += targets.count
        }
        precondition(!perSubset.isEmpty, "no subset had a query: every item lacks captions")
        return Summary(
            mean: Self.combine(perSubset) { values in values.reduce(0, +) / Double(values.count) },
            standardDeviation: Self.combine(perSubset) { values in
                let mean = values.reduce(0, +) / Double(values.count)
                return (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
            },
            subsetCount: perSubset.count, subsetSize: min(subsetSize, itemCount), itemCount: itemCount,
            queryCount: queryTargets.count)
    }

    private static func combine(_ metrics: [RetrievalMetrics], _ reduce: ([Double]) -> Double) -> RetrievalMetrics {
        RetrievalMetrics(
            recallAt1: reduce(metrics.map(\.recallAt1)), recallAt5: reduce(metrics.map(\.recallAt5)),
            recallAt10: reduce(metrics.map(\.recallAt10)), medianRank: reduce(metrics.map(\.medianRank)),
            queryCount: Int(reduce(metrics.map { Double($0.queryCount) }).rounded()))
    }
}
