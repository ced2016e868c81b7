/// The stages of a tokenizer pipeline, after the Hugging Face `tokenizers` design:
/// raw text → (special-token split) → normaliser → pre-tokenizer → model → post-processor.
///
/// Every stage works on Unicode scalars, not on Swift `Character`s or `String` comparison, because
/// Swift compares strings by canonical equivalence while the reference compares code points exactly.

/// Rewrites text before it is split (cleaning, case folding, accent removal).
public protocol TextNormalizer: Sendable {
    /// Returns the normalised scalars of `text`.
    func normalize(_ text: [Unicode.Scalar]) -> [Unicode.Scalar]
}

/// Splits normalised text into words; the model never sees text across a word boundary.
public protocol PreTokenizer: Sendable {
    /// Returns the words of `text` in order; separators that carry no token are dropped.
    func split(_ text: [Unicode.Scalar]) -> [[Unicode.Scalar]]
}

/// Turns one word into vocabulary ids.
public protocol TokenModel: Sendable {
    /// Appends the tokens of `word` (ids and their vocabulary strings) to `ids` and `tokens`.
    func tokenize(_ word: [Unicode.Scalar], ids: inout [Int32], tokens: inout [String])
}
