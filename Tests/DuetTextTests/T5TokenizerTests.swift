import Foundation
import Testing

@testable import DuetText

/// The T5 / mT5 SentencePiece unigram tokenizer against `sentencepiece` on a model it trained with T5's
/// settings (fixtures by `Scripts/reference/t5_tokenizer_reference.py`), its stages, and its errors.
@Suite struct T5TokenizerTests {
    struct Reference: Decodable {
        struct Record: Decodable {
            var text: String
            var normalized: String
            var ids: [Int32]
        }
        var strings: [Record]
    }

    static func modelFile() throws -> URL {
        try #require(Bundle.module.url(forResource: "spiece", withExtension: "model", subdirectory: "Resources/t5-unigram"))
    }

    static func text(_ scalars: [Unicode.Scalar]) -> String { String(String.UnicodeScalarView(scalars)) }

    @Test func idsMatchSentencePieceOnEveryReferenceString() throws {
        let url = try #require(Bundle.module.url(forResource: "t5_tokenizer_reference", withExtension: "json", subdirectory: "Resources"))
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
        #expect(reference.strings.count >= 1000)
        let tokenizer = try T5Tokenizer(modelFile: try Self.modelFile(), maximumLength: 100_000)
        var mismatches = 0
        for record in reference.strings {
            let ids = tokenizer.encode(record.text).ids
            let normalized = Self.text(tokenizer.normalizer.normalize(Array(record.text.unicodeScalars)))
            if ids != record.ids || normalized.unicodeScalars.elementsEqual(record.normalized.unicodeScalars) == false {
                mismatches += 1
                if mismatches <= 5 {
                    Issue.record("""
                        \(record.text.debugDescription): got \(ids), sentencepiece gives \(record.ids); \
                        normalised \(normalized.debugDescription), sentencepiece \(record.normalized.debugDescription)
                        """)
                }
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(reference.strings.count) strings differ")
    }

    @Test func modelFileHasT5sSpecialIds() throws {
        let file = try SentencePieceModelFile(url: try Self.modelFile())
        #expect(file.paddingIdentifier == 0 && file.endIdentifier == 1 && file.unknownIdentifier == 2 && file.beginIdentifier == -1)
        #expect(file.normalizerName == "nmt_nfkc" && !file.precompiledCharsMap.isEmpty)
        #expect(file.pieces.count == 2000 && file.pieces[1].text == "</s>" && file.pieces[1].type == .control)
    }

    @Test func normalizerAppliesTheCharsMapAndWhiteSpaceRules() throws {
        let tokenizer = try T5Tokenizer(modelFile: try Self.modelFile())
        func normalize(_ text: String) -> String { Self.text(tokenizer.normalizer.normalize(Array(text.unicodeScalars))) }
        #expect(normalize("  a  \t b  ") == "▁a▁b", "dummy prefix, runs collapsed, ends trimmed")
        #expect(normalize("ﬁ ｆｕｌｌ ㎏") == "▁fi▁full▁kg", "NFKC through the compiled rules")
        #expect(normalize("e\u{301}") == "▁é", "compositions span code points")
        #expect(normalize(" \t ") == "", "white space only: nothing, not even the prefix")
        #expect(normalize("a▁") == "▁a", "a trailing ▁ counts as white space")
    }

    @Test func unknownRunsMergeAndControlPiecesDoNotMatch() throws {
        let tokenizer = try T5Tokenizer(modelFile: try Self.modelFile())
        let ids = tokenizer.encode("ꙮꙮ </s>").ids
        #expect(ids.filter { $0 == 2 }.count == 1, "two unknown characters are one <unk>")
        #expect(ids.dropLast().contains(1) == false, "literal </s> is text, not the control piece")
        #expect(ids.last == 1)
        let model = UnigramModel(pieces: [("<unk>", 0), ("a", -1)], unknownIdentifier: 0, usesSentencePieceEncoding: true)
        #expect(model.segment(Array("xyaz".unicodeScalars)) == [0, 1, 0])
    }

    @Test func longTextsKeepEndOfSequence() throws {
        let tokenizer = try T5Tokenizer(modelFile: try Self.modelFile(), maximumLength: 8)
        let encoding = tokenizer.encode(String(repeating: "jazz piano ", count: 20))
        #expect(encoding.ids.count == 8 && encoding.ids.last == 1)
    }

    @Test func badModelFilesAreNamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-t5-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("spiece.model")
        do {
            _ = try T5Tokenizer(modelFile: missing)
            Issue.record("a missing file was accepted")
        } catch {
            #expect(error.localizedDescription.contains(missing.path))
        }
        let corrupt = folder.appendingPathComponent("corrupt.model")
        try Data(try Data(contentsOf: try Self.modelFile()).prefix(1001)).write(to: corrupt)
        do {
            _ = try T5Tokenizer(modelFile: corrupt)
            Issue.record("a truncated model was accepted")
        } catch {
            #expect(error.localizedDescription.contains(corrupt.path) && error.localizedDescription.contains("not a SentencePiece model"))
        }
        let text = folder.appendingPathComponent("text.model")
        try Data("this is not a model\n".utf8).write(to: text)
        #expect(throws: TokenizerError.self) { try T5Tokenizer(modelFile: text) }
    }
}
