import Foundation

/// The T5 / mT5 tokenizer (Raffel et al. 2020; Xue et al. 2021): a SentencePiece unigram model read from
/// its `spiece.model`, as `sentencepiece.SentencePieceProcessor.encode` applies it, then `</s>` (T5's
/// template has no `<s>`): ``SentencePieceModelNormalizer`` with the model's precompiled charsmap (for T5,
/// `nmt_nfkc`) → ``UnigramModel`` with SentencePiece's rules (control and unused pieces never match text;
/// a run of unknown characters is one `<unk>`) → `</s>`.
///
/// The normalisation is the model's own compiled rule table, read from the file, not Unicode NFKC
/// recomputed: the two differ (nmt_nfkc also removes control characters and maps Unicode spaces), and
/// reading the table keeps Duet identical to SentencePiece whichever rules a model was built with.
///
/// T5's ids: pad 0, eos 1, unk 2, no bos. Long texts keep their first `maximumLength − 1` pieces and then
/// `</s>`, as Hugging Face's T5 tokenizers truncate. Parity with `sentencepiece` on 1,052 hard strings
/// with a model trained for the test: `T5TokenizerTests`.
public struct T5Tokenizer: SentenceTokenizer {
    public let normalizer: SentencePieceModelNormalizer
    public let model: UnigramModel
    public let endIdentifier: Int32
    public let paddingIdentifier: Int32
    /// Tokens per text including `</s>` (T5: 512).
    public let maximumLength: Int

    public init(normalizer: SentencePieceModelNormalizer, model: UnigramModel, endIdentifier: Int32, paddingIdentifier: Int32, maximumLength: Int) {
        precondition(maximumLength >= 2, "a text needs room for one piece and </s>; got \(maximumLength)")
        self.normalizer = normalizer
        self.model = model
        self.endIdentifier = endIdentifier
        self.paddingIdentifier = paddingIdentifier
        self.maximumLength = maximumLength
    }

    /// Reads a SentencePiece unigram model file (T5's `spiece.model`), strictly.
    /// - Throws: `TokenizerError` naming the file when it cannot be read, is not a SentencePiece model, is
    ///   not a unigram model, uses what Duet does not implement (byte fallback, user-defined symbols), or
    ///   lacks `<unk>`, `</s>` or a padding piece.
    public init(modelFile url: URL, maximumLength: Int = 512) throws(TokenizerError) {
        let file = try SentencePieceModelFile(url: url)
        let path = url.path
        guard file.modelType == 1 else {
            throw .malformedFile(path: path, reason: "the model type is \(file.modelType) (2 BPE, 3 word, 4 char); T5 needs a unigram model (1)")
        }
        if file.byteFallback { throw .unsupportedStage(path: path, stage: "the model", type: "byte_fallback") }
        if let piece = file.pieces.first(where: { $0.type == .userDefined }) {
            throw .unsupportedStage(path: path, stage: "the user-defined symbol \"\(piece.text)\"", type: "USER_DEFINED")
        }
        func piece(_ identifier: Int32, _ name: String, _ type: SentencePieceModelFile.PieceType) throws(TokenizerError) -> Int32 {
            guard file.pieces.indices.contains(Int(identifier)) else { throw .missingToken(path: path, token: name) }
            guard file.pieces[Int(identifier)].type == type else {
                throw .malformedFile(path: path, reason: "piece \(identifier) (\"\(file.pieces[Int(identifier)].text)\") should be the \(type) piece \(name)")
            }
            return identifier
        }
        let unknown = try piece(file.unknownIdentifier, "<unk>", .unknown)
        let end = try piece(file.endIdentifier, "</s>", .control)
        let padding = try piece(file.paddingIdentifier, "<pad>", .control)
        let charsMap = file.precompiledCharsMap.isEmpty ? nil : try PrecompiledCharsMap(blob: file.precompiledCharsMap, path: path)
        var text: [UInt8] = []
        var offsets = [0]
        for piece in file.pieces {
            text.append(contentsOf: piece.text.utf8)
            offsets.append(text.count)
        }
        let unmatched = Set(file.pieces.indices.filter { file.pieces[$0].type != .normal }.map { Int32($0) })
        self.init(
            normalizer: SentencePieceModelNormalizer(
                charsMap: charsMap, addsDummyPrefix: file.addsDummyPrefix, removesExtraWhitespaces: file.removesExtraWhitespaces,
                escapesWhitespaces: file.escapesWhitespaces, treatsWhitespaceAsSuffix: file.treatsWhitespaceAsSuffix),
            model: UnigramModel(
                text: text, offsets: offsets, scores: file.pieces.map(\.score), unknownIdentifier: unknown,
                unmatchedIdentifiers: unmatched, usesSentencePieceEncoding: true),
            endIdentifier: end, paddingIdentifier: padding, maximumLength: maximumLength)
    }

    /// The text's piece ids, no `</s>`, no truncation (`SentencePieceProcessor.encode`).
    public func pieces(_ text: String) -> [Int32] {
        model.segment(normalizer.normalize(Array(text.unicodeScalars)))
    }

    public func encode(_ text: String) -> TokenEncoding {
        let ids = Array(pieces(text).prefix(maximumLength - 1)) + [endIdentifier]
        return TokenEncoding(ids: ids, tokens: ids.map { model.pieces[Int($0)] })
    }
}
