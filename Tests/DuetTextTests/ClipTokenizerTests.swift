import Foundation
import Testing

@testable import DuetText

/// CLIP's tokenizer against open_clip's `tokenize` on OpenAI's real vocabulary (fixtures by
/// `Scripts/reference/clip_tokenizer_reference.py`), its stages alone, and its errors.
@Suite struct ClipTokenizerTests {
    struct Reference: Decodable {
        struct Record: Decodable {
            var text: String
            var cleaned: String
            var ids: [Int32]
        }
        var strings: [Record]
    }

    static func vocabularyFile() throws -> URL {
        try #require(Bundle.module.url(forResource: "bpe_simple_vocab_16e6.txt", withExtension: "gz", subdirectory: "Resources/clip"))
    }

    static func text(_ scalars: [Unicode.Scalar]) -> String { String(String.UnicodeScalarView(scalars)) }

    @Test func idsMatchOpenClipOnEveryReferenceString() throws {
        let url = try #require(Bundle.module.url(forResource: "clip_tokenizer_reference", withExtension: "json", subdirectory: "Resources"))
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
        #expect(reference.strings.count >= 1000)
        let tokenizer = try ClipTokenizer(vocabularyFile: try Self.vocabularyFile())
        var mismatches = 0
        for record in reference.strings {
            let row = TokenBatch(encodings: [tokenizer.encode(record.text)], paddingIdentifier: tokenizer.paddingIdentifier, time: 77).ids
            if row != record.ids {
                mismatches += 1
                if mismatches <= 5 {
                    let cleaned = Self.text(tokenizer.normalizer.normalize(Array(record.text.unicodeScalars)))
                    Issue.record("""
                        \(record.text.debugDescription): got \(row), open_clip gives \(record.ids); \
                        cleaned \(cleaned.debugDescription), open_clip \(record.cleaned.debugDescription)
                        """)
                }
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(reference.strings.count) strings differ")
    }

    @Test func vocabularyHasCLIPsLayout() throws {
        let tokenizer = try ClipTokenizer(vocabularyFile: try Self.vocabularyFile())
        #expect(tokenizer.startIdentifier == 49406 && tokenizer.endIdentifier == 49407)
        #expect(tokenizer.model.vocabulary.count == 49408)
        #expect(tokenizer.model.vocabulary["!"] == 0 && tokenizer.model.vocabulary["!</w>"] == 256)
        #expect(tokenizer.encode("").ids == [49406, 49407])
    }

    @Test func textFixerAppliesFtfysDeterministicFixes() {
        let fixer = TextFixer()
        func fix(_ text: String) -> String { Self.text(fixer.fix(Array(text.unicodeScalars))) }
        #expect(fix("&amp;amp;amp;") == "&", "unescaped until nothing changes")
        #expect(fix("<b>&amp;</b>") == "<b>&amp;</b>", "no unescaping once a line has <")
        #expect(fix("&amp\n") == "&amp\n", "ftfy needs the ;")
        #expect(fix("&EACUTE;") == "É")
        #expect(fix("\u{201C}it\u{2019}s\u{201D}") == "\"it's\"")
        #expect(fix("\u{FB01}ne \u{01C5}") == "fine Dž")
        #expect(fix("ＬＯＵＤ\u{3000}ﾊ") == "LOUD ハ")
        #expect(fix("a\r\nb\rc\u{2028}d") == "a\nb\nc\nd")
        #expect(fix("\u{85}") == "…", "C1 controls are Windows-1252 before line breaks are fixed")
        #expect(fix("\u{1B}[1;31mred\u{1B}[0m\u{0}\u{FEFF}") == "red")
        #expect(fix("e\u{301}") == "é")
        #expect(fix("sÃ³") == "sÃ³", "mojibake repair is not implemented")
    }

    @Test func htmlUnescapeFollowsPython() {
        func unescape(_ text: String) -> String { Self.text(HTMLUnescaper.unescape(Array(text.unicodeScalars))) }
        #expect(unescape("&amp &lt;3 &notit; &#65&#x42; &#128; &#0; &#1; &#xD800; &#99999999999;")
            == "& <3 ¬it; AB € \u{FFFD}  \u{FFFD} \u{FFFD}")
        #expect(unescape("&unknown; & &#; &#x;") == "&unknown; & &#; &#x;")
    }

    @Test func normalizerCollapsesSpaceAndLowersLikePython() {
        let normalizer = ClipNormalizer()
        func clean(_ text: String) -> String { Self.text(normalizer.normalize(Array(text.unicodeScalars))) }
        #expect(clean("  A\u{A0}\u{2003}B\t\n") == "a b")
        #expect(clean("ΟΔΟΣ Σ") == "οδος σ", "final sigma after a letter only")
        #expect(clean("İ") == "i\u{307}")
    }

    @Test func preTokenizerSplitsAsCLIPsPattern() {
        func pieces(_ text: String) -> [String] {
            let scalars = Array(text.unicodeScalars)
            return ClipPreTokenizer().pieces(scalars).map { Self.text(Array(scalars[$0])) }
        }
        #expect(pieces("don't 2024!! <start_of_text>x") == ["don", "'t", "2", "0", "2", "4", "!!", "<start_of_text>", "x"])
        #expect(pieces("'ſ <ſtart_of_text>") == ["'ſ", "<ſtart_of_text>"], "ſ matches s case-insensitively")
        #expect(pieces("a'b") == ["a", "'", "b"])
    }

    @Test func endOfWordSuffixMarksTheLastCharacter() {
        let model = BytePairModel(
            vocabulary: ["a": 0, "b": 1, "b</w>": 2, "ab</w>": 3, "ab": 4], merges: [("a", "b</w>"), ("a", "b")], endOfWordSuffix: "</w>")
        #expect(model.merge(Array("ab".unicodeScalars)) == ["ab</w>"])
        #expect(model.merge(Array("abab".unicodeScalars)) == ["ab", "ab</w>"])
        #expect(model.merge(Array("b".unicodeScalars)) == ["b</w>"])
    }

    @Test func longTextsKeepEndOfTextLast() throws {
        let tokenizer = try ClipTokenizer(vocabularyFile: try Self.vocabularyFile())
        let encoding = tokenizer.encode(String(repeating: "jazz piano ", count: 60))
        #expect(encoding.ids.count == 77 && encoding.ids.first == 49406 && encoding.ids.last == 49407)
    }

    @Test func badVocabularyFilesAreNamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-clip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("missing.txt.gz")
        do {
            _ = try ClipTokenizer(vocabularyFile: missing)
            Issue.record("a missing file was accepted")
        } catch {
            #expect(error.localizedDescription.contains(missing.path))
        }
        let plain = folder.appendingPathComponent("plain.txt.gz")
        try Data("#version: 0.2\ni n\n".utf8).write(to: plain)
        #expect(throws: TokenizerError.malformedFile(path: plain.path, reason: "not a gzip file (it does not start with the bytes 1f 8b)")) {
            try ClipTokenizer(vocabularyFile: plain)
        }
        let truncated = folder.appendingPathComponent("truncated.txt.gz")
        try Data(try Data(contentsOf: try Self.vocabularyFile()).prefix(5000)).write(to: truncated)
        do {
            _ = try ClipTokenizer(vocabularyFile: truncated)
            Issue.record("a truncated file was accepted")
        } catch {
            #expect(error.localizedDescription.contains(truncated.path) && error.localizedDescription.contains("corrupt gzip"))
        }
    }
}
