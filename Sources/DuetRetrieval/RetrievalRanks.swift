import DuetTensor

/// Ranks of target items for text-to-music retrieval.
///
/// Every query is scored against every candidate item by cosine similarity (dot products of
/// L2-normalised embeddings, computed with one sgemm). The rank of a query's target is
/// `1 + number of other items scoring at least as high as the target` — ranks are 1-based and ties
/// count against the model, so a model that scores everything equally gets the worst rank, not
/// the best.
public enum RetrievalRanks {
    /// - Parameters:
    ///   - queries: `[queryCount, dimension]`, L2-normalised rows.
    ///   - items: `[itemCount, dimension]`, L2-normalised rows.
    ///   - targets: for each query, the row of its target in `items`.
    /// - Returns: one 1-based rank per query.
    public static func compute(queries: [Float], items: [Float], dimension: Int, targets: [Int]) -> [Int] {
        let queryCount = targets.count
        precondition(queries.count == queryCount * dimension, "queries hold \(queries.count) values, expected \(queryCount) x \(dimension)")
        precondition(items.count % max(1, dimension) == 0, "items hold \(items.count) values, not a multiple of \(dimension)")
        let itemCount = items.count / max(1, dimension)
        guard queryCount > 0, itemCount > 0 else { return [] }
        var scores = [Float](repeating: 0, count: queryCount * itemCount)
        queries.withUnsafeBufferPointer { q in
            items.withUnsafeBufferPointer { a in
                scores.withUnsafeMutableBufferPointer { s in
                    sgemm(q.baseAddress!, a.baseAddress!, s.baseAddress!, m: queryCount, n: itemCount, k: dimension, transposeB: true)
                }
            }
        }
        return ranks(scores: scores, itemCount: itemCount, targets: targets)
    }

    /// Ranks from a precomputed `[queryCount, itemCount]` score matrix (higher is better).
    public static func ranks(scores: [Float], itemCount: Int, targets: [Int]) -> [Int] {
        precondition(scores.count == targets.count * itemCount, "scores hold \(scores.count) values for \(targets.count) queries x \(itemCount) items")
        return scores.withUnsafeBufferPointer { scores in
            targets.enumerated().map { query, target in
                precondition(target >= 0 && target < itemCount, "target \(target) outside \(itemCount) items")
                let row = scores.baseAddress! + query * itemCount
                let targetScore = row[target]
                // NaN scores never rank above a target; a NaN target ranks last.
                if targetScore.isNaN { return itemCount }
                var rank = 1
                for item in 0..<itemCount where item != target && row[item] >= targetScore { rank += 1 }
                return rank
            }
        }
    }
}
