/// What a sentence encoder needs from its tokenizer, whichever vocabulary it uses (WordPiece for
/// all-MiniLM-L6-v2, SentencePiece unigram for multilingual-e5-small).
public protocol SentenceTokenizer: Sendable {
    /// The id that pads batches.
    var paddingIdentifier: Int32 { get }
    /// One text as the encoder's input, special tokens included, at most the model's length
    /// (longer texts are truncated).
    func encode(_ text: String) -> TokenEncoding
    /// The inputs whose pooled states make one text's sentence embedding: `[encode(text)]` for a
    /// truncating tokenizer; consecutive windows for one that covers long texts in full. Each
    /// window's `weight` is how much its mean counts in the text's mean.
    func windows(_ text: String) -> [(encoding: TokenEncoding, weight: Float)]
}

extension SentenceTokenizer {
    public func windows(_ text: String) -> [(encoding: TokenEncoding, weight: Float)] { [(encode(text), 1)] }
}

extension WordPieceTokenizer: SentenceTokenizer {}
