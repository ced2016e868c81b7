import Foundation
import Testing
import DuetText

/// Reading a model folder: settings from `tokenizer.json`, vocabulary from `vocab.txt` or,
/// without it, from `tokenizer.json`; clear errors otherwise.
@Suite struct TokenizerFileTests {
    static let tokenizerJSON = #"""
    {"version": "1.0", "truncation": null, "padding": null,
     "added_tokens": [{"id": 0, "content": "[PAD]", "special": true, "normalized": false},
                      {"id": 1, "content": "[UNK]", "special": true, "normalized": false},
                      {"id": 2, "content": "[CLS]", "special": true, "normalized": false},
                      {"id": 3, "content": "[SEP]", "special": true, "normalized": false}],
     "normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": null, "lowercase": true},
     "pre_tokenizer": {"type": "BertPreTokenizer"},
     "post_processor": {"type": "TemplateProcessing"},
     "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100,
               "vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "jazz": 4, "trio": 5, "##s": 6}}}
    """#

    static func folder(tokenizer: String?, vocabulary: String? = nil) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("duet-tokenizer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        if let tokenizer { try tokenizer.write(to: url.appendingPathComponent("tokenizer.json"), atomically: true, encoding: .utf8) }
        if let vocabulary { try vocabulary.write(to: url.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8) }
        return url
    }

    @Test func readsVocabularyFromTokenizerJSONWithoutVocabTxt() throws {
        let folder = try Self.folder(tokenizer: Self.tokenizerJSON)
        defer { try? FileManager.default.removeItem(at: folder) }
        let tokenizer = try WordPieceTokenizer(directory: folder)
        #expect(tokenizer.encode("Jazz TRIOS").ids == [2, 4, 5, 6, 3])
        #expect(tokenizer.model.vocabulary.count == 7)
    }

    @Test func vocabTxtTakesPrecedence() throws {
        let folder = try Self.folder(tokenizer: Self.tokenizerJSON, vocabulary: "[PAD]\n[UNK]\n[CLS]\n[SEP]\ntrio\njazz\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try WordPieceTokenizer(directory: folder).encode("jazz trio").ids == [2, 5, 4, 3])
    }

    @Test func missingFileNamesThePathAndTheFix() throws {
        let folder = try Self.folder(tokenizer: nil)
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            _ = try WordPieceTokenizer(directory: folder)
            Issue.record("a missing tokenizer.json must throw")
        } catch {
            #expect(error.localizedDescription.contains("tokenizer.json"))
            #expect(error.localizedDescription.contains("make setup"))
        }
    }

    @Test func unsupportedModelIsRejected() throws {
        let folder = try Self.folder(tokenizer: Self.tokenizerJSON.replacingOccurrences(of: #""type": "WordPiece""#, with: #""type": "Unigram""#))
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: TokenizerError.unsupportedStage(path: folder.appendingPathComponent("tokenizer.json").path, stage: "model", type: "Unigram")) {
            try WordPieceTokenizer(directory: folder)
        }
    }

    @Test func missingUnknownTokenIsReported() throws {
        let folder = try Self.folder(tokenizer: Self.tokenizerJSON, vocabulary: "[PAD]\n[CLS]\n[SEP]\njazz\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: TokenizerError.self) { try WordPieceTokenizer(directory: folder) }
    }
}
