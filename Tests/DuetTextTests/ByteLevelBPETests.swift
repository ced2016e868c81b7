import Foundation
import Testing

@testable import DuetText

/// The RoBERTa / GPT-2 byte-level BPE tokenizer against Hugging Face `tokenizers` on a BPE that
/// `tokenizers` trained (fixtures by `Scripts/reference/byte_level_bpe_reference.py`), and its stages alone.
@Suite struct ByteLevelBPETests {
    struct Reference: Decodable {
        struct Record: Decodable {
            var text: String
            var ids: [Int32]
        }
        var strings: [Record]
    }

    static func modelFolder() throws -> URL {
        try #require(Bundle.module.url(forResource: "byte-level-bpe", withExtension: nil, subdirectory: "Resources"))
    }

    @Test func idsMatchTokenizersOnEveryReferenceString() throws {
        let url = try #require(Bundle.module.url(forResource: "byte_level_bpe_reference", withExtension: "json", subdirectory: "Resources"))
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
        #expect(reference.strings.count >= 1000)
        let tokenizer = try ByteLevelBPETokenizer(directory: try Self.modelFolder(), maximumLength: 100_000)
        var mismatches = 0
        for record in reference.strings {
            let ids = tokenizer.encode(record.text).ids
            if ids != record.ids {
                mismatches += 1
                if mismatches <= 5 {
                    Issue.record("\(record.text.debugDescription): got \(ids), tokenizers gives \(record.ids)")
                }
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(reference.strings.count) strings differ")
    }

    @Test func splitFollowsGPT2sPattern() {
        func pieces(_ text: String) -> [String] {
            let scalars = Array(text.unicodeScalars)
            return ByteLevelPreTokenizer.pieces(scalars).map { String(String.UnicodeScalarView(scalars[$0])) }
        }
        #expect(pieces("a  b") == ["a", " ", " b"], "the last space before a word stays with it")
        #expect(pieces("a\n b") == ["a", "\n", " b"])
        #expect(pieces("a \nb") == ["a", " ", "\n", "b"])
        #expect(pieces("end  ") == ["end", "  "])
        #expect(pieces("don't we'll") == ["don", "'t", " we", "'ll"])
        #expect(pieces("'S !'s") == ["'", "S", " !'", "s"], "contractions are lower case only; punctuation runs are greedy")
        #expect(pieces("x12,5 ½") == ["x", "12", ",", "5", " ½"])
    }

    @Test func bytesBecomePrintableCharacters() {
        let alphabet = ByteLevelPreTokenizer.byteAlphabet
        #expect(Set(alphabet).count == 256)
        #expect(alphabet[Int(UInt8(ascii: " "))] == "\u{0120}" && alphabet[Int(UInt8(ascii: "\n"))] == "\u{010A}")
        #expect(alphabet[Int(UInt8(ascii: "a"))] == "a")
        #expect(ByteLevelPreTokenizer().split(Array("é".unicodeScalars)) == [["\u{00C3}", "\u{00A9}"]])
    }

    @Test func mergesApplyBestRankFirst() {
        let model = BytePairModel(
            vocabulary: ["a": 0, "b": 1, "c": 2, "ab": 3, "bc": 4, "abc": 5], merges: [("b", "c"), ("a", "b"), ("a", "bc")])
        #expect(model.merge(Array("abc".unicodeScalars)) == ["abc"], "bc (rank 0) first, then a+bc")
        #expect(model.merge(Array("abab".unicodeScalars)) == ["ab", "ab"])
        #expect(model.merge(Array("cab".unicodeScalars)) == ["c", "ab"])
    }

    @Test func badFilesAreNamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-bpe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: TokenizerError.self) { try BytePairModel(directory: folder) }
        try Data(#"{"a": 0, "b": 1, "<s>": 2, "</s>": 3}"#.utf8).write(to: folder.appendingPathComponent("vocab.json"))
        try Data("#version: 0.2\na b\n".utf8).write(to: folder.appendingPathComponent("merges.txt"))
        do {
            _ = try BytePairModel(directory: folder)
            Issue.record("a merge whose result is not in the vocabulary was accepted")
        } catch {
            #expect(error.localizedDescription.contains("line 2") && error.localizedDescription.contains("\"ab\""))
        }
        try Data("#version: 0.2\n".utf8).write(to: folder.appendingPathComponent("merges.txt"))
        #expect(throws: TokenizerError.missingToken(path: folder.appendingPathComponent("vocab.json").path, token: "<pad>")) {
            try ByteLevelBPETokenizer(directory: folder)
        }
    }

    @Test func longTextsAreTruncatedInsideTheTemplate() throws {
        let tokenizer = try ByteLevelBPETokenizer(directory: try Self.modelFolder(), maximumLength: 8)
        let encoding = tokenizer.encode(String(repeating: "jazz piano ", count: 20))
        #expect(encoding.ids.count == 8)
        #expect(encoding.ids.first == 0 && encoding.ids.last == 2)
    }
}
