import DuetModel
import DuetNN
import DuetRandom
import DuetTensor
import DuetTestSupport
import Foundation
import Testing

@Suite("Sentence token")
struct SentenceTokenTests {
    @Test func theSentenceTokenIsTheMeanOfTheUnpaddedStatesAndComesFirst() {
        // Two texts of widths 2: the first with three tokens and one padding position, the second whole.
        let states = Tensor([1, 2, 3, 4, 5, 6, 100, 200,
                             -1, 0, 1, 2, 3, 4, 5, 6], shape: [2, 4, 2])
        let padding = [false, false, false, true, false, false, false, false]
        let (prepended, extended) = SentenceToken.prepending(to: states, keyPadding: padding)
        #expect(prepended.shape == [2, 5, 2])
        // Means: (1 + 3 + 5) / 3, (2 + 4 + 6) / 3; (-1 + 1 + 3 + 5) / 4, (0 + 2 + 4 + 6) / 4. Sums of
        // at most four small integers divided by 3 or 4: exact to one rounding.
        expectClose(Array(prepended.storage[0..<2]), [3, 4], .reordered(terms: 4, magnitude: 6), "first text's mean")
        expectClose(Array(prepended.storage[10..<12]), [2, 3], .reordered(terms: 4, magnitude: 6), "second text's mean")
        #expect(Array(prepended.storage[2..<10]) == Array(states.storage[0..<8]))
        #expect(Array(prepended.storage[12..<20]) == Array(states.storage[8..<16]))
        #expect(extended == [false, false, false, false, true, false, false, false, false, false])
        let (unpadded, none) = SentenceToken.prepending(to: states, keyPadding: nil)
        #expect(none == nil)
        let unpaddedMean: [Float] = [109 / 4, 212 / 4]  // (1 + 3 + 5 + 100) / 4, (2 + 4 + 6 + 200) / 4: exact
        #expect(Array(unpadded.storage[0..<2]) == unpaddedMean)
    }

    @Test func aModelWithTheSentenceTokenIgnoresPaddingAndRoundTrips() throws {
        var configuration = ModelConfiguration()
        configuration.embeddingWidth = 32
        configuration.feedForwardWidth = 64
        configuration.audioLayerWidths = [12, 4, 4]
        configuration.textWidth = 16
        configuration.dropout = 0
        configuration.textSentenceToken = true
        let model = MusicTextModel(configuration: configuration, seed: 1)
        model.eval()
        var generator = SeededGenerator(seed: 2)
        let states = Tensor.randomNormal([1, 4, 16], using: &generator)
        let alone = withoutGradient { model.embedText(states, keyPadding: nil) }
        let padded = Tensor.concatenate([states, Tensor.randomNormal([1, 3, 16], using: &generator)], axis: 1)
        let batch = Tensor.concatenate([padded, Tensor.randomNormal([1, 7, 16], using: &generator)], axis: 0)
        let mask = [false, false, false, false, true, true, true] + [Bool](repeating: false, count: 7)
        let batched = withoutGradient { model.embedText(batch, keyPadding: mask) }
        // As in the model's padding test (magnitude 64 over 64-wide layers, eight reductions), plus the
        // mean of four 16-wide states in the sentence token, a reordering of four terms.
        expectClose(alone.storage, Array(batched.storage[0..<32]), .reordered(terms: 64, magnitude: 64, layers: 8),
                    "alone vs padded in a batch")
        // Without the token the same weights give another embedding: the token is read.
        var without = configuration
        without.textSentenceToken = false
        let plain = MusicTextModel(configuration: without, seed: 1)
        plain.eval()
        let plainEmbedding = withoutGradient { plain.embedText(states, keyPadding: nil) }
        #expect(zip(plainEmbedding.storage, alone.storage).map { abs($0 - $1) }.max()! > 1e-3)

        let decoded = try JSONDecoder().decode(ModelConfiguration.self, from: JSONEncoder().encode(configuration))
        #expect(decoded.textSentenceToken)
        // A configuration written before the key existed reads as off.
        var object = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(configuration)) as? [String: Any])
        object["textSentenceToken"] = nil
        let older = try JSONDecoder().decode(ModelConfiguration.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(!older.textSentenceToken)
    }
}
