/// The WordPiece model (Wu et al. 2016 as used by BERT), matching Hugging Face `tokenizers`'
/// `WordPiece`: greedy longest-match-first over the vocabulary, continuation pieces carry the
/// `##` prefix, and a word with no complete segmentation, or longer than
/// `maximumCharactersPerWord` scalars, becomes the single unknown token.
///
/// The vocabulary is keyed by scalar sequences so matching is exact code-point equality, as in
/// the reference, not Swift's canonical-equivalence `String` comparison.
public struct WordPieceModel: TokenModel {
    /// Token strings in id order.
    public let vocabulary: [String]
    let identifiers: [[Unicode.Scalar]: Int32]
    public let unknownToken: String
    public let unknownIdentifier: Int32
    public let continuationPrefix: String
    let continuationScalars: [Unicode.Scalar]
    public let maximumCharactersPerWord: Int

    /// - Parameters:
    ///   - vocabulary: the tokens, the id of each being its index (as in `vocab.txt`).
    ///   - unknownToken: the token for words that cannot be segmented; must be in `vocabulary`.
    ///   - continuationPrefix: prefix of pieces that continue a word (`##`).
    ///   - maximumCharactersPerWord: longer words map to `unknownToken` (100 in BERT).
    /// - Returns: `nil` when `unknownToken` is not in the vocabulary.
    public init?(vocabulary: [String], unknownToken: String = "[UNK]", continuationPrefix: String = "##", maximumCharactersPerWord: Int = 100) {
        var identifiers: [[Unicode.Scalar]: Int32] = [:]
        identifiers.reserveCapacity(vocabulary.count)
        for (index, token) in vocabulary.enumerated() where identifiers[Array(token.unicodeScalars)] == nil {
            identifiers[Array(token.unicodeScalars)] = Int32(index)
        }
        guard let unknown = identifiers[Array(unknownToken.unicodeScalars)] else { return nil }
        self.vocabulary = vocabulary
        self.identifiers = identifiers
        self.unknownToken = unknownToken
        self.unknownIdentifier = unknown
        self.continuationPrefix = continuationPrefix
        self.continuationScalars = Array(continuationPrefix.unicodeScalars)
        self.maximumCharactersPerWord = maximumCharactersPerWord
    }

    /// The id of `token`, compared scalar by scalar.
    public func identifier(of token: String) -> Int32? { identifiers[Array(token.unicodeScalars)] }

    public func tokenize(_ word: [Unicode.Scalar], ids: inout [Int32], tokens: inout [String]) {
        if word.isEmpty { return }
        if word.count > maximumCharactersPerWord {
            ids.append(unknownIdentifier); tokens.append(unknownToken)
            return
        }
        var pieces: [Int32] = []
        var start = 0
        var candidate: [Unicode.Scalar] = []
        candidate.reserveCapacity(word.count + continuationScalars.count)
        while start < word.count {
            var end = word.count
            var found: Int32?
            while start < end {
                candidate.removeAll(keepingCapacity: true)
                if start > 0 { candidate.append(contentsOf: continuationScalars) }
                candidate.append(contentsOf: word[start..<end])
                if let identifier = identifiers[candidate] { found = identifier; break }
                end -= 1
            }
            guard let piece = found else {
                ids.append(unknownIdentifier); tokens.append(unknownToken)
                return
            }
            pieces.append(piece)
            start = end
        }
        ids.append(contentsOf: pieces)
        tokens.append(contentsOf: pieces.map { vocabulary[Int($0)] })
    }
}
