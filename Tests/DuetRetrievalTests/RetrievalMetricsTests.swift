import DuetRandom
import DuetRetrieval
import DuetTensor
import Testing

@Suite("Retrieval metrics")
struct RetrievalMetricsTests {
    @Test func ranksAreOneBasedAndTiesCountAgainstTheModel() {
        // Query 0 targets item 1 (score 0.9, one item higher) -> rank 2.
        // Query 1 targets item 0 (score 0.5, tied with item 2)  -> rank 2.
        // Query 2 has all scores equal                          -> rank 3 (worst).
        let scores: [Float] = [0.95, 0.9, 0.1,
                               0.5, 0.2, 0.5,
                               0.3, 0.3, 0.3]
        #expect(RetrievalRanks.ranks(scores: scores, itemCount: 3, targets: [1, 0, 2]) == [2, 2, 3])
    }

    @Test func recallAndMedianFollowTheirDefinitions() {
        let metrics = RetrievalMetrics(ranks: [1, 3, 6, 12])
        #expect(metrics.recallAt1 == 25)
        #expect(metrics.recallAt5 == 50)
        #expect(metrics.recallAt10 == 75)
        #expect(metrics.medianRank == 4.5, "even count: mean of the two middle ranks")
        #expect(RetrievalMetrics(ranks: [7, 1, 3]).medianRank == 3)
    }

    @Test func cosineSearchRanksTheMatchingRowFirst() {
        var generator = SeededGenerator(seed: 5)
        let dimension = 16, count = 40
        var items = [Float]()
        for _ in 0..<count {
            let row = (0..<dimension).map { _ in generator.nextNormal() }
            let norm = row.map { $0 * $0 }.reduce(0, +).squareRoot()
            items += row.map { $0 / norm }
        }
        let ranks = RetrievalRanks.compute(queries: items, items: items, dimension: dimension, targets: Array(0..<count))
        #expect(ranks == [Int](repeating: 1, count: count))
    }

    @Test func subsetsAreSeededAndSmallSetsAreEvaluatedWhole() {
        var generator = SeededGenerator(seed: 9)
        let dimension = 8, count = 120
        let items = (0..<(count * dimension)).map { _ in generator.nextNormal() }
        // Two noisy captions per item.
        var queries = [Float](), targets = [Int]()
        for item in 0..<count {
            for _ in 0..<2 {
                queries += (0..<dimension).map { items[item * dimension + $0] + 0.8 * generator.nextNormal() }
                targets.append(item)
            }
        }
        let protocolA = SubsetEvaluation(subsetSize: 50, subsetCount: 4, seed: 1)
        let first = protocolA.evaluate(items: items, queries: queries, queryTargets: targets, dimension: dimension)
        let second = protocolA.evaluate(items: items, queries: queries, queryTargets: targets, dimension: dimension)
        #expect(first == second)
        #expect(first.subsetCount == 4 && first.subsetSize == 50)
        #expect(first.mean.queryCount == 100, "every caption of the 50 chosen items is a query")
        #expect(first.mean.recallAt10 > 30, "noisy matches should still rank high among 50")

        let whole = SubsetEvaluation(subsetSize: 500, subsetCount: 4, seed: 1)
            .evaluate(items: items, queries: queries, queryTargets: targets, dimension: dimension)
        #expect(whole.subsetCount == 1 && whole.subsetSize == count)
        #expect(whole.standardDeviation.recallAt10 == 0)
    }
}
