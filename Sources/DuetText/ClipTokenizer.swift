import Foundation

/// CLIP's tokenizer (Radford et al. 2021), as open_clip 3.3.0's `SimpleTokenizer` and `tokenize` apply it:
/// ``ClipNormalizer`` (ftfy subset, HTML unescape, white space, lower case) → ``ClipPreTokenizer`` →
/// ``BytePairModel`` with the `</w>` end-of-word suffix → `<start_of_text> … <end_of_text>`.
///
/// The vocabulary file is OpenAI's `bpe_simple_vocab_16e6.txt.gz`: a header line, then merges "left right",
/// best first; CLIP reads the first 48,894 (49,152 − 256 − 2) of them. Ids: the 256 byte characters (in
/// code-point order of ``ByteLevelPreTokenizer/byteAlphabet``), the same with `</w>`, one per merge (the
/// merged piece), then `<start_of_text>` (49406) and `<end_of_text>` (49407). At run time the file is
/// `open_clip/bpe_simple_vocab_16e6.txt.gz` in the model cache (``vocabularyPath``; `make setup` unpacks
/// the `open_clip_torch` wheel).
///
/// Long texts: `tokenize` keeps the first 77 ids and writes `<end_of_text>` over the last, so a truncated
/// text still ends with it. Shorter texts are padded with id 0 (which is also `!`) by ``TokenBatch``.
/// Parity with `open_clip.tokenize` on 1,518 hard strings: `ClipTokenizerTests`.
public struct ClipTokenizer: SentenceTokenizer {
    /// The vocabulary's path inside the model cache.
    public static let vocabularyPath = "open_clip/\(vocabularyFileName)"
    /// The name of OpenAI's gzip-compressed merges file.
    public static let vocabularyFileName = "bpe_simple_vocab_16e6.txt.gz"
    /// The merges CLIP reads from the file: 49,152 tokens less 256 bytes and 2 special tokens.
    public static let mergeCount = 49_152 - 256 - 2
    public static let specialTokens = ["<start_of_text>", "<end_of_text>"]
    public static let endOfWordSuffix = "</w>"

    public let normalizer: ClipNormalizer
    public let preTokenizer: ClipPreTokenizer
    public let model: BytePairModel
    public let startIdentifier: Int32
    public let endIdentifier: Int32
    /// open_clip pads with zeros.
    public let paddingIdentifier: Int32 = 0
    /// Tokens per text including the two special tokens (CLIP: 77).
    public let contextLength: Int

    /// A tokenizer from merge pairs, best first (at most ``mergeCount`` are used, as CLIP does).
    public init(merges: [(String, String)], contextLength: Int = 77) {
        precondition(contextLength >= 2, "a text needs room for <start_of_text> and <end_of_text>; got \(contextLength)")
        let merges = Array(merges.prefix(Self.mergeCount))
        let bytes = ByteLevelPreTokenizer.byteAlphabet.sorted { $0.value < $1.value }.map { String($0) }
        let tokens = bytes + bytes.map { $0 + Self.endOfWordSuffix } + merges.map { $0.0 + $0.1 } + Self.specialTokens
        var vocabulary: [String: Int32] = [:]
        // A later duplicate overrides an earlier one, as Python's `dict(zip(vocab, range(...)))` does.
        for (id, token) in tokens.enumerated() { vocabulary[token] = Int32(id) }
        normalizer = ClipNormalizer()
        preTokenizer = ClipPreTokenizer(specialTokens: Self.specialTokens)
        model = BytePairModel(vocabulary: vocabulary, merges: merges, endOfWordSuffix: Self.endOfWordSuffix)
        startIdentifier = vocabulary[Self.specialTokens[0]]!
        endIdentifier = vocabulary[Self.specialTokens[1]]!
        self.contextLength = contextLength
    }

    /// Reads the gzip-compressed merges file, strictly: UTF-8, a header line, then at least one merge;
    /// each of the first ``mergeCount`` lines after the header is two pieces separated by one space.
    /// - Throws: `TokenizerError` naming the file and the problem.
    public init(vocabularyFile url: URL, contextLength: Int = 77) throws(TokenizerError) {
        self.init(merges: try Self.merges(in: try GzipFile.contents(of: url), path: url.path), contextLength: contextLength)
    }

    /// Reads the CLIP tokenizer of a `transformers` checkpoint folder (openai/clip-vit-base-patch32:
    /// `merges.txt`, the same merges as the gzip file uncompressed, and `vocab.json`). The vocabulary
    /// CLIP derives from the merges must equal `vocab.json` (special tokens aside) when the folder has one, so a folder whose
    /// files disagree is refused rather than tokenised with other ids than its model was trained on.
    /// - Throws: `TokenizerError` naming the file and the problem.
    public init(directory: URL, contextLength: Int = 77) throws(TokenizerError) {
        let mergesURL = directory.appendingPathComponent("merges.txt")
        let bytes: [UInt8]
        do { bytes = [UInt8](try Data(contentsOf: mergesURL)) } catch {
            throw .unreadableFile(path: mergesURL.path, reason: error.localizedDescription)
        }
        self.init(merges: try Self.merges(in: bytes, path: mergesURL.path), contextLength: contextLength)
        let vocabularyURL = directory.appendingPathComponent("vocab.json")
        guard FileManager.default.fileExists(atPath: vocabularyURL.path) else { return }
        let stored: [String: Int32]
        do { stored = try JSONDecoder().decode([String: Int32].self, from: Data(contentsOf: vocabularyURL)) } catch {
            throw .malformedFile(path: vocabularyURL.path, reason: "expected a JSON object of token → integer id (\(error))")
        }
        // transformers names the special tokens `<|startoftext|>` and `<|endoftext|>`; their ids are the last two either way.
        let pieces = model.vocabulary.keys.filter { !Self.specialTokens.contains($0) }.sorted()
        if let token = pieces.first(where: { stored[$0] != model.vocabulary[$0] }) {
            throw .malformedFile(
                path: vocabularyURL.path,
                reason: "token \"\(token)\" has id \(stored[token].map(String.init) ?? "none") here but \(model.vocabulary[token]!) from merges.txt")
        }
        if stored.count != model.vocabulary.count {
            throw .malformedFile(
                path: vocabularyURL.path, reason: "\(stored.count) tokens here, \(model.vocabulary.count) derived from merges.txt")
        }
    }

    /// The merges of a CLIP merges text (gzip-decompressed or `merges.txt`): the header line is skipped,
    /// then each of the first ``mergeCount`` lines is two pieces separated by one space.
    static func merges(in bytes: [UInt8], path: String) throws(TokenizerError) -> [(String, String)] {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .malformedFile(path: path, reason: "the vocabulary is not UTF-8 text")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var merges: [(String, String)] = []
        for (index, line) in lines.dropFirst().prefix(Self.mergeCount).enumerated() {
            if line.isEmpty && index + 2 == lines.count { break }  // the newline that ends the file
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw .malformedFile(
                    path: path, reason: "line \(index + 2): expected two pieces separated by one space, got \"\(line.prefix(80))\"")
            }
            merges.append((String(parts[0]), String(parts[1])))
        }
        guard !merges.isEmpty else {
            throw .malformedFile(path: path, reason: "no merges after the header line (\(lines.count) lines in all)")
        }
        return merges
    }

    /// The text's ids without special tokens, no truncation (open_clip's `SimpleTokenizer.encode`).
    public func pieces(_ text: String) -> (ids: [Int32], tokens: [String]) {
        var ids: [Int32] = []
        var tokens: [String] = []
        for word in preTokenizer.split(normalizer.normalize(Array(text.unicodeScalars))) {
            let string = String(String.UnicodeScalarView(word))
            if let special = Self.specialTokens.firstIndex(of: string) {
                ids.append(special == 0 ? startIdentifier : endIdentifier)
                tokens.append(string)
            } else {
                model.tokenize(word, ids: &ids, tokens: &tokens)
            }
        }
        return (ids, tokens)
    }

    /// `<start_of_text>`, the pieces, `<end_of_text>`; at most ``contextLength`` tokens, the last of a
    /// truncated text replaced by `<end_of_text>` (open_clip's `tokenize`), unpadded.
    public func encode(_ text: String) -> TokenEncoding {
        let (ids, tokens) = pieces(text)
        var allIds = [startIdentifier] + ids + [endIdentifier]
        var allTokens = [Self.specialTokens[0]] + tokens + [Self.specialTokens[1]]
        if allIds.count > contextLength {
            allIds = Array(allIds.prefix(contextLength))
            allTokens = Array(allTokens.prefix(contextLength))
            allIds[contextLength - 1] = endIdentifier
            allTokens[contextLength - 1] = Self.specialTokens[1]
        }
        return TokenEncoding(ids: allIds, tokens: allTokens)
    }
}
