import Foundation

/// The RoBERTa tokenizer as a pipeline of stages: ``ByteLevelPreTokenizer`` (GPT-2's split, bytes as
/// printable characters) → ``BytePairModel`` → ``BertPostProcessor`` with `<s>` and `</s>` (RoBERTa's
/// single-sentence template). No normaliser: RoBERTa and GPT-2 see the text as it is, case included.
/// Parity with Hugging Face `tokenizers` on 1,046 hard strings: `ByteLevelBPETests`.
public struct ByteLevelBPETokenizer: SentenceTokenizer {
    public let preTokenizer: ByteLevelPreTokenizer
    public let model: BytePairModel
    public let postProcessor: BertPostProcessor
    public let paddingIdentifier: Int32
    /// Tokens per text including `<s>` and `</s>` (RoBERTa: 512 positions, of which 514 − 2 usable).
    public let maximumLength: Int

    public init(model: BytePairModel, postProcessor: BertPostProcessor, paddingIdentifier: Int32, maximumLength: Int) {
        precondition(maximumLength >= 3, "a text needs room for <s>, one token and </s>; got \(maximumLength)")
        preTokenizer = ByteLevelPreTokenizer()
        self.model = model
        self.postProcessor = postProcessor
        self.paddingIdentifier = paddingIdentifier
        self.maximumLength = maximumLength
    }

    /// Reads `vocab.json` and `merges.txt` from `directory`; `<s>`, `</s>` and `<pad>` must be in the vocabulary.
    /// - Throws: `TokenizerError` naming the file and the problem.
    public init(directory: URL, maximumLength: Int = 512) throws(TokenizerError) {
        let model = try BytePairModel(directory: directory)
        let path = directory.appendingPathComponent("vocab.json").path
        func identifier(_ token: String) throws(TokenizerError) -> Int32 {
            guard let id = model.vocabulary[token] else { throw .missingToken(path: path, token: token) }
            return id
        }
        let postProcessor = BertPostProcessor(
            classifierToken: "<s>", classifierIdentifier: try identifier("<s>"),
            separatorToken: "</s>", separatorIdentifier: try identifier("</s>"))
        self.init(model: model, postProcessor: postProcessor, paddingIdentifier: try identifier("<pad>"), maximumLength: maximumLength)
    }

    /// The text's tokens without special tokens, no truncation.
    public func pieces(_ text: String) -> (ids: [Int32], tokens: [String]) {
        var ids: [Int32] = []
        var tokens: [String] = []
        for word in preTokenizer.split(Array(text.unicodeScalars)) { model.tokenize(word, ids: &ids, tokens: &tokens) }
        return (ids, tokens)
    }

    public func encode(_ text: String) -> TokenEncoding {
        let (ids, tokens) = pieces(text)
        let kept = maximumLength - postProcessor.addedTokenCount
        return postProcessor.process(ids: Array(ids.prefix(kept)), tokens: Array(tokens.prefix(kept)))
    }
}
