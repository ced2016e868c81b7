/// How a locked text encoder cuts many sentences into forward passes: sorted by length (so a pass holds
/// sentences of similar length), at most `sentenceLimit` sentences and `tokenBudget` tokens each, so memory
/// stays bounded for any number of captions. A single sentence longer than the budget gets a pass of its own.
/// One policy for every text tower (`BertSentenceEncoder`, `TokenStateEncoder`).
public struct LengthSortedBatches: Sendable, Equatable {
    /// Sentences per forward pass.
    public var sentenceLimit: Int
    /// Tokens per forward pass (bounds the activations: about 10 floats × hidden per token).
    public var tokenBudget: Int

    public init(sentenceLimit: Int = 64, tokenBudget: Int = 8192) {
        self.sentenceLimit = sentenceLimit
        self.tokenBudget = tokenBudget
    }

    /// Input indices grouped into passes, shortest sentences first (ties in input order).
    /// - Parameter lengths: each sentence's token count.
    public func batches(lengths: [Int]) -> [[Int]] {
        let order = lengths.indices.sorted { (lengths[$0], $0) < (lengths[$1], $1) }
        var batches: [[Int]] = []
        var current: [Int] = []
        var tokens = 0
        for index in order {
            let length = lengths[index]
            if !current.isEmpty, current.count >= sentenceLimit || tokens + length > tokenBudget {
                batches.append(current)
                current = []
                tokens = 0
            }
            current.append(index)
            tokens += length
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }
}
