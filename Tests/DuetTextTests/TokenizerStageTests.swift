import Testing
@testable import DuetText

/// Stage-by-stage behaviour on inline inputs, without the model files.
@Suite struct TokenizerStageTests {
    static let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "jazz", "trio", "un", "##aff", "##able",
                             "!", "a", "##a", "cafe", "中", "i"]

    static func tokenizer(maximumLength: Int = 256) throws -> WordPieceTokenizer {
        let model = try #require(WordPieceModel(vocabulary: vocabulary, maximumCharactersPerWord: 5))
        return WordPieceTokenizer(
            specialTokens: SpecialTokenSplitter(tokens: [("[PAD]", 0), ("[UNK]", 1), ("[CLS]", 2), ("[SEP]", 3), ("[MASK]", 4)]),
            normalizer: BertNormalizer(), model: model,
            postProcessor: BertPostProcessor(classifierIdentifier: 2, separatorIdentifier: 3),
            paddingIdentifier: 0, maximumLength: maximumLength)
    }

    @Test func normalizerCleansSpacesCJKStripsAccentsAndLowercases() {
        let normalizer = BertNormalizer()
        let input = "Ca\u{0301}fe\u{0000}\u{200B}\t中\u{FFFD}İ"
        let output = String(String.UnicodeScalarView(normalizer.normalize(Array(input.unicodeScalars))))
        #expect(output == "cafe  中 i")
    }

    @Test func preTokenizerIsolatesPunctuationAndDropsWhitespace() {
        let words = BertPreTokenizer().split(Array("rock!! n'roll  $5".unicodeScalars)).map { String(String.UnicodeScalarView($0)) }
        #expect(words == ["rock", "!", "!", "n", "'", "roll", "$", "5"])
    }

    @Test func wordPieceIsGreedyLongestFirstWithContinuationPrefix() throws {
        let model = try #require(WordPieceModel(vocabulary: Self.vocabulary, maximumCharactersPerWord: 10))
        var ids: [Int32] = [], tokens: [String] = []
        model.tokenize(Array("unaffable".unicodeScalars), ids: &ids, tokens: &tokens)
        #expect(tokens == ["un", "##aff", "##able"])
        ids = []; tokens = []
        model.tokenize(Array("unaffx".unicodeScalars), ids: &ids, tokens: &tokens)
        #expect(tokens == ["[UNK]"], "a word with an unmatched tail is one [UNK]")
    }

    @Test func wordsLongerThanTheLimitAreUnknown() throws {
        let model = try #require(WordPieceModel(vocabulary: Self.vocabulary, maximumCharactersPerWord: 5))
        var ids: [Int32] = [], tokens: [String] = []
        model.tokenize(Array("aaaaa".unicodeScalars), ids: &ids, tokens: &tokens)
        #expect(tokens == ["a", "##a", "##a", "##a", "##a"])
        ids = []; tokens = []
        model.tokenize(Array("aaaaaa".unicodeScalars), ids: &ids, tokens: &tokens)
        #expect(ids == [1])
    }

    @Test func specialTokensAreCutOutOfRawTextCaseSensitively() throws {
        let tokenizer = try Self.tokenizer()
        #expect(tokenizer.encode("jazz[MASK]trio").tokens == ["[CLS]", "jazz", "[MASK]", "trio", "[SEP]"])
        #expect(tokenizer.encode("[mask]").tokens == ["[CLS]", "[UNK]", "[UNK]", "[UNK]", "[SEP]"])
    }

    @Test func truncationKeepsRoomForSpecialTokens() throws {
        let tokenizer = try Self.tokenizer(maximumLength: 4)
        #expect(tokenizer.encode("jazz trio jazz trio").tokens == ["[CLS]", "jazz", "trio", "[SEP]"])
        #expect(tokenizer.encode("").tokens == ["[CLS]", "[SEP]"])
    }

    @Test func batchPadsOnTheRight() throws {
        let batch = try Self.tokenizer().encode(batch: ["jazz trio", "a"])
        #expect(batch.time == 4)
        #expect(batch.ids == [2, 5, 6, 3, 2, 11, 3, 0])
        #expect(batch.attentionMask == [1, 1, 1, 1, 1, 1, 1, 0])
        #expect(batch.lengths == [4, 3])
    }

    @Test func unicodeTablesFollowUnicode8LikeTheReference() {
        // U+1F970 (Unicode 11) is unassigned in the reference's tables: kept, not removed.
        #expect(!Unicode.Scalar(0x1F970)!.isBertControl)
        // U+111C9 was punctuation in Unicode 8.0 and is a mark today.
        #expect(Unicode.Scalar(0x111C9)!.isBertPunctuation)
        #expect(Unicode.Scalar("$").isBertPunctuation)
        #expect(Unicode.Scalar(0x00AD)!.isBertControl)
        #expect(Unicode.Scalar(0x3000)!.isBertWhitespace)
    }
}
