/// The BERT post-processor for single sentences: `[CLS] tokens [SEP]`, all with token type 0,
/// matching the `TemplateProcessing` single template in all-MiniLM-L6-v2's `tokenizer.json`.
public struct BertPostProcessor: Sendable {
    public let classifierToken: String
    public let classifierIdentifier: Int32
    public let separatorToken: String
    public let separatorIdentifier: Int32

    public init(classifierToken: String = "[CLS]", classifierIdentifier: Int32, separatorToken: String = "[SEP]", separatorIdentifier: Int32) {
        self.classifierToken = classifierToken
        self.classifierIdentifier = classifierIdentifier
        self.separatorToken = separatorToken
        self.separatorIdentifier = separatorIdentifier
    }

    /// Tokens the template adds around one sentence; truncation reserves room for them.
    public var addedTokenCount: Int { 2 }

    /// Wraps the sentence's ids and tokens in `[CLS] ... [SEP]`.
    public func process(ids: [Int32], tokens: [String]) -> TokenEncoding {
        TokenEncoding(
            ids: [classifierIdentifier] + ids + [separatorIdentifier],
            tokens: [classifierToken] + tokens + [separatorToken])
    }
}
