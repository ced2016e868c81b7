import DuetEncoders
import DuetTensor
import DuetTestSupport
import DuetWeights
import Foundation
import Testing

/// Parity of ``T5EncoderModel`` with `transformers`' `T5EncoderModel` (original T5, `relu`) and
/// `MT5EncoderModel` (`gated-gelu`, inner width unlike the channels) on the tiny random checkpoints
/// `Scripts/reference/t5_encoder_reference.py` wrote (`Resources/t5-encoder-tiny`,
/// `Resources/mt5-encoder-tiny`): every block's states and the final-normed states within tolerances
/// derived from the reductions' float32 error; the relative-position buckets of the real setting
/// exactly; and strict loading by name.
@Suite struct T5EncoderReferenceTests {
    static let fixtures = ["t5-encoder-tiny", "mt5-encoder-tiny"]

    static func model(_ name: String) throws -> T5EncoderModel { try T5EncoderModel(directory: try TinyEncoderFixture.folder(name)) }

    /// Reductions up to block `l`'s output: per block two norms and the query-key-value, score,
    /// context, output and feed-forward products (three for a gated layer).
    static func stages(throughLayer layer: Int) -> Int { 1 + 8 * layer }

    @Test func configurationsReadFeedForwardProjection() throws {
        let t5 = try Self.model("t5-encoder-tiny").configuration
        #expect(t5.activation == .relu && !t5.isGated && t5.innerSize == 32 && t5.feedForwardSize == 37)
        let mt5 = try Self.model("mt5-encoder-tiny").configuration
        #expect(mt5.activation == .tanhGELU && mt5.isGated && mt5.innerSize == 24 && mt5.headSize == 6)
        #expect(mt5.relativeBucketCount == 32 && mt5.relativeMaximumDistance == 20 && mt5.layerCount == 2)
    }

    @Test(arguments: fixtures)
    func everyBlockMatchesTransformers(fixtureName: String) throws {
        let model = try Self.model(fixtureName)
        let fixture = try TinyEncoderFixture.load(fixtureName)
        let configuration = model.configuration
        let hidden = configuration.hiddenSize
        let terms = max(configuration.feedForwardSize, hidden, configuration.innerSize)
        let layers = configuration.layerCount
        var largest = [Float](repeating: 0, count: layers + 1)
        for batch in fixture.batchedCases {
            let output = try model(batch.map(\.ids), keepingLayerStates: true)
            #expect(output.layerStates.count == layers + 1)
            for (row, item) in batch.enumerated() {
                func real(_ tensor: Tensor) -> [Float] {
                    let start = row * tensor.shape[1] * hidden
                    return Array(tensor.storage[start..<(start + item.ids.count * hidden)])
                }
                // `hidden_states` holds the embeddings, the first blocks' outputs, and last the final-normed states.
                for (layer, expected) in item.hiddenStates.enumerated() {
                    let actual = layer < layers ? real(output.layerStates[layer]) : real(output.tokenStates)
                    let stages = layer < layers ? Self.stages(throughLayer: layer) : Self.stages(throughLayer: layers) + 1
                    let comparison = expectClose(
                        actual, expected, fixture.tolerance(stages: stages, terms: terms), "\(fixtureName) hidden_states[\(layer)] of \(item.ids)")
                    largest[layer] = max(largest[layer], comparison.largestDifference)
                }
                expectClose(
                    real(output.tokenStates), item.lastHiddenState, fixture.tolerance(stages: Self.stages(throughLayer: layers) + 1, terms: terms),
                    "\(fixtureName) last_hidden_state of \(item.ids)")
            }
        }
        let finalTolerance = fixture.tolerance(stages: Self.stages(throughLayer: layers) + 1, terms: terms)
        print("\(fixtureName) vs transformers \(fixture.transformers): largest difference per hidden_states entry \(largest) (final tolerance \(finalTolerance))")
    }

    @Test func relativePositionBucketsMatchTransformers() throws {
        let buckets = try #require(try TinyEncoderFixture.load("t5-encoder-tiny").buckets)
        let computed = buckets.distances.map {
            T5RelativePosition.bucket(distance: $0, bucketCount: buckets.bucketCount, maximumDistance: buckets.maximumDistance)
        }
        #expect(computed == buckets.buckets)
    }

    @Test func strictLoadingNamesTheKey() throws {
        let configuration = try Self.model("mt5-encoder-tiny").configuration
        func load(_ tensors: [String: Tensor], ignoringDecoder: Bool = false) throws {
            do {
                _ = try T5EncoderWeights(file: try TemporarySafetensors.write(tensors), configuration: configuration, ignoringDecoder: ignoringDecoder)
            } catch let error as WeightsError {
                throw error.withoutPath
            }
        }
        let complete = try TinyEncoderFixture.tensors("mt5-encoder-tiny")
        var tensors = complete
        let missing = "encoder.block.1.layer.1.DenseReluDense.wi_1.weight"
        #expect(tensors.removeValue(forKey: missing) != nil)
        #expect(throws: WeightsError.missingKey(name: missing, path: "")) { try load(tensors) }
        tensors = complete
        tensors["encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"] = Tensor.zeros([32, 3])
        #expect(throws: WeightsError.shapeMismatch(
            name: "encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight", expected: [32, 4], found: [32, 3], path: "")) {
            try load(tensors)
        }
        tensors = complete
        tensors["encoder.block.1.layer.0.SelfAttention.relative_attention_bias.weight"] = Tensor.zeros([32, 4])
        #expect(throws: WeightsError.unexpectedKeys(names: ["encoder.block.1.layer.0.SelfAttention.relative_attention_bias.weight"], path: "")) {
            try load(tensors)
        }
        // An encoder-decoder checkpoint: the tied copy of the embeddings, and the decoder when asked to skip it.
        tensors = complete
        tensors["encoder.embed_tokens.weight"] = complete["shared.weight"]
        tensors["lm_head.weight"] = Tensor.zeros([99, 32])
        #expect(throws: WeightsError.unexpectedKeys(names: ["lm_head.weight"], path: "")) { try load(tensors) }
        try load(tensors, ignoringDecoder: true)
        tensors["encoder.embed_tokens.weight"] = Tensor.zeros([99, 32])
        #expect(throws: EncoderError.self) { try load(tensors, ignoringDecoder: true) }
    }

    @Test func configurationRejectsWhatItCannotRun() throws {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(T5EncoderConfiguration.self, from: Data(#"{"feed_forward_proj": "gated-swish"}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(T5EncoderConfiguration.self, from: Data(#"{"feed_forward_proj": "double-gelu"}"#.utf8))
        }
        let original = try JSONDecoder().decode(T5EncoderConfiguration.self, from: Data("{}".utf8))
        #expect(original.activation == .relu && !original.isGated && original.hiddenSize == 512 && original.relativeMaximumDistance == 128)
        var noBuckets = original
        noBuckets.relativeBucketCount = 2
        #expect(throws: EncoderError.self) { try noBuckets.validate(path: "config.json") }
    }

    @Test func rejectsInvalidInput() throws {
        let model = try Self.model("t5-encoder-tiny")
        #expect(throws: EncoderError.self) { try model([[]]) }
        #expect(throws: EncoderError.self) { try model([[5, 99]]) }
        // Relative positions have no table to run past: a sentence longer than any in training still runs.
        #expect(try model([[Int32](repeating: 5, count: 40)]).tokenStates.shape == [1, 40, 32])
    }
}
