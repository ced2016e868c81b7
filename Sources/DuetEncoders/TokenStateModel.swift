import DuetTensor

/// A locked network that turns token ids into the last layer's token states, the input DuET-MC's text
/// branch reads: `BertModel` (MiniLM, e5, RoBERTa), `ClipTextModel` (CLIP-T, after the final layer norm) and
/// `T5EncoderModel` (T5, mT5, after the final RMS norm). The tokenizer in front is not part of it
/// (`TokenStateEncoder` pairs the two).
public protocol TokenStateModel: Sendable {
    /// Width of one token state.
    var hiddenSize: Int { get }
    /// Rows of the token embedding table: every id the tokenizer produces must be below it.
    var vocabularySize: Int { get }
    /// Longest sentence the network accepts, special tokens included (nil: no position table limits it).
    var longestSentence: Int? { get }
    /// The last layer's states of each sentence, `[length, hiddenSize]` row-major per sentence.
    /// - Parameter sentences: token ids per sentence, special tokens included, no padding, each non-empty.
    func tokenStates(sentences: [[Int32]]) throws -> [[Float]]
}

extension TokenStateModel {
    /// The rows of a padded `[batch, time, hidden]` output that belong to each sentence, `[length, hidden]` each.
    static func unpadded(_ states: Tensor, lengths: [Int]) -> [[Float]] {
        let time = states.shape[1], hidden = states.shape[2]
        let storage = states.storage
        return lengths.enumerated().map { sentence, length in
            let start = sentence * time * hidden
            return Array(storage[start..<(start + length * hidden)])
        }
    }
}

extension BertModel: TokenStateModel {
    public var hiddenSize: Int { configuration.hiddenSize }
    public var vocabularySize: Int { configuration.vocabularySize }
    public var longestSentence: Int? { configuration.longestSentence }
    public func tokenStates(sentences: [[Int32]]) throws -> [[Float]] { try hiddenStates(sentences: sentences) }
}

extension ClipTextModel: TokenStateModel {
    public var hiddenSize: Int { configuration.hiddenSize }
    public var vocabularySize: Int { configuration.vocabularySize }
    public var longestSentence: Int? { configuration.maximumPositions }
    /// The final-layer-normed token states (`last_hidden_state`), the paper's CLIP-T features.
    public func tokenStates(sentences: [[Int32]]) throws -> [[Float]] {
        let output = try self(sentences)
        return Self.unpadded(output.tokenStates, lengths: output.lengths)
    }
}

extension T5EncoderModel: TokenStateModel {
    public var hiddenSize: Int { configuration.hiddenSize }
    public var vocabularySize: Int { configuration.vocabularySize }
    public var longestSentence: Int? { nil }
    /// The final-normed token states (`last_hidden_state`).
    public func tokenStates(sentences: [[Int32]]) throws -> [[Float]] {
        let output = try self(sentences)
        return Self.unpadded(output.tokenStates, lengths: output.lengths)
    }
}
