@testable import DuetEncoders
import DuetTestSupport
import DuetText
import Foundation
import Testing

/// The towers DuET-MC reads through ``TokenStateEncoder``: batched in length-sorted passes, each text's
/// token states (special tokens included) come back in input order and equal `transformers`'
/// `last_hidden_state` on the tiny random checkpoints (CLIP after its final layer norm, T5 after its final
/// RMS norm), within the parity tests' float32 tolerances.
@Suite struct TokenStateEncoderTests {
    /// A tokenizer that returns fixed ids per text, so the reference's own ids reach the network.
    struct FixedTokenizer: SentenceTokenizer {
        let ids: [String: [Int32]]
        let paddingIdentifier: Int32 = 0
        func encode(_ text: String) -> TokenEncoding {
            let ids = ids[text] ?? []
            return TokenEncoding(ids: ids, tokens: ids.map(String.init))
        }
    }

    /// The fixture's cases as texts "case 0", "case 1", … in reverse order (so sorting by length reorders them).
    static func check(_ model: any TokenStateModel, fixture name: String, stages: Int, terms: Int) throws {
        let fixture = try TinyEncoderFixture.load(name)
        let cases = Array(fixture.cases.reversed())
        let texts = cases.indices.map { "case \($0)" }
        let tokenizer = FixedTokenizer(ids: Dictionary(uniqueKeysWithValues: zip(texts, cases.map(\.ids))))
        // Passes of at most 3 sentences and 24 tokens: several passes, some holding one sentence.
        let encoder = TokenStateEncoder(tokenizer: tokenizer, model: model, batches: LengthSortedBatches(sentenceLimit: 3, tokenBudget: 24))
        var reported: [Int] = []
        let states = try encoder.tokenStatesPerText(texts) { done, total in
            #expect(total == texts.count)
            reported.append(done)
        }
        #expect(reported.last == texts.count && reported == reported.sorted() && reported.count > 1)
        #expect(encoder.hiddenSize == 32)
        let tolerance = fixture.tolerance(stages: stages, terms: terms)
        for (text, (item, values)) in zip(texts, zip(cases, states)) {
            #expect(values.count == item.ids.count * encoder.hiddenSize, "\(name) \(text)")
            expectClose(values, item.lastHiddenState, tolerance, "\(name) \(text): last_hidden_state of \(item.ids)")
        }
    }

    @Test func clipTextStatesAreTheFinalNormedLastLayer() throws {
        let model = try ClipTextModel(directory: try TinyEncoderFixture.folder("clip-text-tiny"))
        let configuration = model.configuration
        try Self.check(
            model, fixture: "clip-text-tiny", stages: 1 + 8 * configuration.layerCount + 1,
            terms: max(configuration.intermediateSize, configuration.hiddenSize, configuration.maximumPositions))
    }

    @Test func robertaStatesAreTheLastLayer() throws {
        let model = try BertModel(directory: try TinyEncoderFixture.folder("roberta-tiny"))
        let configuration = model.configuration
        try Self.check(
            model, fixture: "roberta-tiny", stages: 2 + 8 * configuration.layerCount,
            terms: max(configuration.intermediateSize, configuration.hiddenSize, configuration.maximumPositions))
    }

    @Test func t5AndMT5StatesAreTheFinalNormedLastLayer() throws {
        for name in ["t5-encoder-tiny", "mt5-encoder-tiny"] {
            let model = try T5EncoderModel(directory: try TinyEncoderFixture.folder(name))
            let configuration = model.configuration
            try Self.check(
                model, fixture: name, stages: 1 + 8 * configuration.layerCount + 1,
                terms: max(configuration.feedForwardSize, configuration.hiddenSize, configuration.innerSize))
        }
    }

    @Test func lengthSortedBatchesRespectBothLimits() {
        let lengths = [5, 1, 9, 3, 3, 30, 2, 8]
        let batches = LengthSortedBatches(sentenceLimit: 3, tokenBudget: 12).batches(lengths: lengths)
        #expect(batches.flatMap { $0 }.sorted() == Array(lengths.indices))
        #expect(batches.flatMap { $0 }.map { lengths[$0] } == lengths.sorted(), "shortest first")
        #expect(batches.allSatisfy { $0.count <= 3 })
        #expect(batches.allSatisfy { $0.count == 1 || $0.map { lengths[$0] }.reduce(0, +) <= 12 })
        #expect(batches.last == [5], "a sentence over the budget gets a pass of its own")
    }

    /// A tokenizer whose ids do not fit the network is refused when the tower is built, naming the folder.
    @Test func aTokenizerFromAnotherCheckpointIsRefused() throws {
        let folder = try TinyEncoderFixture.folder("roberta-tiny")
        let model = try BertModel(directory: folder)
        #expect { try TokenStateEncoder.checkVocabulary(largest: 99, of: "RoBERTa", model: model, directory: folder) } throws: { error in
            let message = (error as? LocalizedError)?.errorDescription ?? ""
            return message.contains(folder.path) && message.contains("99 rows") && message.contains("reach 99")
        }
        try TokenStateEncoder.checkVocabulary(largest: 98, of: "RoBERTa", model: model, directory: folder)
    }
}
