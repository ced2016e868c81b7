import DuetText
import Foundation
import DuetTestSupport
import Testing
@testable import DuetEncoders

/// Memory bound: large inputs are cut into passes of at most `chunkSize` sentences and
/// `tokenBudget` tokens, sorted by length, and results come back in input order.
@Suite struct SentenceEncoderChunkTests {
    static func encoder() throws -> BertSentenceEncoder {
        let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "c", "d", "e", "f"]
        let model = try #require(WordPieceModel(vocabulary: vocabulary))
        let tokenizer = WordPieceTokenizer(
            specialTokens: SpecialTokenSplitter(tokens: [("[CLS]", 2), ("[SEP]", 3)]), normalizer: BertNormalizer(),
            model: model, postProcessor: BertPostProcessor(classifierIdentifier: 2, separatorIdentifier: 3), paddingIdentifier: 0,
            maximumLength: 16)
        let weights = try BertWeights(file: try BertLoadingTests.write(BertLoadingTests.tinyTensors()), configuration: BertLoadingTests.configuration)
        return BertSentenceEncoder(tokenizer: tokenizer, model: BertModel(configuration: BertLoadingTests.configuration, weights: weights))
    }

    @Test func chunksRespectSizeAndTokenBudget() throws {
        var encoder = try Self.encoder()
        encoder.chunkSize = 64
        encoder.tokenBudget = 300
        var generator = SystemRandomNumberGenerator()
        let sentences: [[Int32]] = (0..<256).map { _ in Array(repeating: 5, count: Int.random(in: 2...14, using: &generator)) }
        let chunks = encoder.chunks(of: sentences)
        #expect(chunks.allSatisfy { $0.count <= 64 })
        #expect(chunks.allSatisfy { $0.map { sentences[$0].count }.reduce(0, +) <= 300 })
        #expect(chunks.flatMap { $0 }.sorted() == Array(0..<256))
        let lengths = chunks.flatMap { $0 }.map { sentences[$0].count }
        #expect(lengths == lengths.sorted())
    }

    @Test func embeddingsComeBackInInputOrder() throws {
        var encoder = try Self.encoder()
        let texts = ["a b c d e f a b", "a", "c d", "f e d c b a", "b"]
        let whole = try encoder.embed(texts)
        encoder.chunkSize = 2
        var reported: [Int] = []
        let chunked = try encoder.embed(texts) { done, _ in reported.append(done) }
        #expect(reported == [2, 4, 5])
        for (text, (left, right)) in zip(texts, zip(whole, chunked)) {
            let single = try encoder.embed([text])[0]
            // Other chunkings pad to other lengths: the same maths in another order (see BertLoadingTests).
            expectClose(left, single, BertLoadingTests.paddingTolerance, "\(text): whole batch vs alone")
            expectClose(right, left, BertLoadingTests.paddingTolerance, "\(text): chunks of two vs whole batch")
        }
        let perText = try encoder.tokenStatesPerText(texts)
        let (states, mask) = try encoder.tokenStates(texts)
        let time = states.shape[1]
        #expect(states.shape == [texts.count, 10, 8])
        for (row, values) in perText.enumerated() {
            let length = encoder.tokenizer.encode(texts[row]).count
            #expect(values.count == length * 8)
            #expect(Array(states.storage[(row * time * 8)..<(row * time * 8 + values.count)]) == values)
            #expect(mask.storage[(row * time)..<((row + 1) * time)].reduce(0, +) == Float(length))
        }
    }
}
