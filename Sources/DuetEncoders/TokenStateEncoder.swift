import DuetText

/// A locked text tower as DuET-MC reads it: a tokenizer in front of a ``TokenStateModel``, giving each
/// text's last-layer token states (special tokens included). The towers of the paper's systems are
/// this type (CLIP-T, RoBERTa, T5, mT5: ``clipText(directory:)``, ``roberta(directory:)``, ``t5(directory:)``);
/// `BertSentenceEncoder` computes its token states through it too.
///
/// Texts are tokenised, then run in ``LengthSortedBatches`` (sorted by length, bounded in sentences and
/// tokens); results come back in input order.
public struct TokenStateEncoder: LockedTextEncoder {
    public let tokenizer: any SentenceTokenizer
    public let model: any TokenStateModel
    public var batches: LengthSortedBatches

    public init(tokenizer: any SentenceTokenizer, model: any TokenStateModel, batches: LengthSortedBatches = LengthSortedBatches()) {
        self.tokenizer = tokenizer
        self.model = model
        self.batches = batches
    }

    public var hiddenSize: Int { model.hiddenSize }

    /// The last layer's token states of each text, `[length, hiddenSize]` row-major each, in input order.
    /// - Parameter progress: called after each forward pass with (texts done, total).
    public func tokenStatesPerText(_ texts: [String], progress: ((Int, Int) -> Void)? = nil) throws -> [[Float]] {
        let sentences = texts.map { tokenizer.encode($0).ids }
        var result = [[Float]](repeating: [], count: texts.count)
        var done = 0
        for batch in batches.batches(lengths: sentences.map(\.count)) {
            let states = try model.tokenStates(sentences: batch.map { sentences[$0] })
            for (index, values) in zip(batch, states) { result[index] = values }
            done += batch.count
            progress?(done, texts.count)
        }
        return result
    }

    /// The mean of each text's token states (special tokens included), L2-normalised, `[hiddenSize]` each:
    /// what `duet embed-text` prints for these towers. Not CLIP's projected `text_embeds` nor a sentence
    /// encoder's trained pooling; DuET-MC reads the token states themselves.
    public func meanEmbeddings(_ texts: [String], progress: ((Int, Int) -> Void)? = nil) throws -> [[Float]] {
        let hidden = hiddenSize
        return try tokenStatesPerText(texts, progress: progress).map { states in
            let length = states.count / hidden
            var mean = [Float](repeating: 0, count: hidden)
            for position in 0..<length {
                for channel in 0..<hidden { mean[channel] += states[position * hidden + channel] }
            }
            return BertModel.normalized(mean.map { $0 / Float(max(1, length)) })
        }
    }
}
