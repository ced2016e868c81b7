import DuetData
import DuetModel
import Foundation

extension RetrievalEvaluation {
    /// For each text, the row in `entries` of the clip a trained model ranks first: the highest cosine
    /// between the text's and the clips' embeddings (``embeddings(model:dataset:entries:texts:encoders:)``),
    /// ties going to the earlier row. The listening study's "system's top track".
    /// - Returns: one row index per text; empty when `entries` is empty.
    public func topClips(
        model: MusicTextModel, dataset: PreparedDataset, entries: [ManifestEntry], texts: [String], encoders: Encoders
    ) throws -> [Int] {
        guard !entries.isEmpty, !texts.isEmpty else { return [] }
        let (items, queries) = try embeddings(model: model, dataset: dataset, entries: entries, texts: texts, encoders: encoders)
        return Self.topRows(items: items, queries: queries, dimension: model.configuration.embeddingWidth)
    }

    /// The best-scoring item row per query by dot product (`items` `[itemCount, dimension]`, `queries`
    /// `[queryCount, dimension]`); a NaN score never wins, ties go to the earlier row.
    static func topRows(items: [Float], queries: [Float], dimension: Int) -> [Int] {
        let itemCount = items.count / dimension
        return (0..<(queries.count / dimension)).map { query in
            var best = 0
            var bestScore = -Float.infinity
            for item in 0..<itemCount {
                var score: Float = 0
                for index in 0..<dimension { score += items[item * dimension + index] * queries[query * dimension + index] }
                if score > bestScore { (best, bestScore) = (item, score) }
            }
            return best
        }
    }
}
