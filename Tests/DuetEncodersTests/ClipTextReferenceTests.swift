import DuetEncoders
import DuetTensor
import DuetTestSupport
import DuetWeights
import Foundation
import Testing

/// Parity of ``ClipTextModel`` with `transformers`' `CLIPTextModelWithProjection` on the tiny random
/// checkpoint `Scripts/reference/clip_text_reference.py` wrote (`Resources/clip-text-tiny`): every
/// layer's states, the final-normed token states and the projected embeddings under both pooling
/// rules, within tolerances derived from the reductions' float32 error; and strict loading by name.
@Suite struct ClipTextReferenceTests {
    static let name = "clip-text-tiny"

    static func model() throws -> ClipTextModel { try ClipTextModel(directory: try TinyEncoderFixture.folder(name)) }

    /// Reductions up to `hidden_states[l]`: the embeddings' sum, then per layer two norms and the
    /// query-key-value, score, context, output and two feed-forward products.
    static func stages(throughLayer layer: Int) -> Int { 1 + 8 * layer }

    @Test func configurationIsReadFromConfigJSON() throws {
        let configuration = try Self.model().configuration
        #expect(configuration.hiddenSize == 32 && configuration.layerCount == 2 && configuration.headCount == 4)
        #expect(configuration.intermediateSize == 37 && configuration.projectionSize == 24 && configuration.maximumPositions == 32)
        #expect(configuration.activation == .quickGELU)
        #expect(configuration.endOfTextIdentifier == 98 && !configuration.poolsAtLargestIdentifier)
    }

    @Test func everyLayerAndTheEmbeddingsMatchTransformers() throws {
        let model = try Self.model()
        let fixture = try TinyEncoderFixture.load(Self.name)
        let configuration = model.configuration
        let hidden = configuration.hiddenSize
        let terms = max(configuration.intermediateSize, hidden, configuration.maximumPositions)
        var legacyConfiguration = configuration
        legacyConfiguration.endOfTextIdentifier = 2
        let legacy = ClipTextModel(configuration: legacyConfiguration, weights: model.weights)
        var largest = [Float](repeating: 0, count: configuration.layerCount + 3)
        // The reference's batches as one packed call each: batching must change nothing but summation order.
        for batch in fixture.batchedCases {
            let output = try model(batch.map(\.ids), keepingLayerStates: true)
            let legacyOutput = try legacy(batch.map(\.ids))
            #expect(output.layerStates.count == configuration.layerCount + 1)
            #expect(output.tokenStates.shape == [batch.count, batch.map(\.ids.count).max()!, hidden])
            for (row, item) in batch.enumerated() {
                func real(_ tensor: Tensor) -> [Float] {
                    let start = row * tensor.shape[1] * hidden
                    return Array(tensor.storage[start..<(start + item.ids.count * hidden)])
                }
                for (layer, expected) in item.hiddenStates.enumerated() {
                    let tolerance = fixture.tolerance(stages: Self.stages(throughLayer: layer), terms: terms)
                    let comparison = expectClose(real(output.layerStates[layer]), expected, tolerance, "hidden_states[\(layer)] of \(item.ids)")
                    largest[layer] = max(largest[layer], comparison.largestDifference)
                }
                let lastStages = Self.stages(throughLayer: configuration.layerCount) + 1
                let last = expectClose(
                    real(output.tokenStates), item.lastHiddenState, fixture.tolerance(stages: lastStages, terms: terms),
                    "last_hidden_state of \(item.ids)")
                largest[configuration.layerCount + 1] = max(largest[configuration.layerCount + 1], last.largestDifference)
                let embeddingTolerance = fixture.tolerance(stages: lastStages + 1, terms: terms)
                let projection = configuration.projectionSize
                let embedding = Array(output.embeddings.storage[(row * projection)..<((row + 1) * projection)])
                let legacyEmbedding = Array(legacyOutput.embeddings.storage[(row * projection)..<((row + 1) * projection)])
                let projected = expectClose(embedding, try #require(item.textEmbeds), embeddingTolerance, "text_embeds of \(item.ids)")
                let legacyProjected = expectClose(
                    legacyEmbedding, try #require(item.legacyTextEmbeds), embeddingTolerance, "legacy text_embeds of \(item.ids)")
                largest[configuration.layerCount + 2] = max(
                    largest[configuration.layerCount + 2], projected.largestDifference, legacyProjected.largestDifference)
            }
        }
        let finalTolerance = fixture.tolerance(stages: Self.stages(throughLayer: configuration.layerCount) + 2, terms: terms)
        print("CLIP text vs transformers \(fixture.transformers): largest difference per hidden_states entry \(largest.prefix(configuration.layerCount + 1)), last_hidden_state \(largest[configuration.layerCount + 1]), text_embeds \(largest[configuration.layerCount + 2]) (embeddings' tolerance \(finalTolerance))")
    }

    @Test func poolingRulesPickTheEndOfTextOrTheLargestIdentifier() throws {
        let model = try Self.model()
        #expect(model.pooledPosition(of: [97, 5, 6, 98, 98]) == 3)
        #expect(model.pooledPosition(of: [97, 5, 6]) == 0, "no end-of-text token: argmax of an all-false row")
        var legacyConfiguration = model.configuration
        legacyConfiguration.endOfTextIdentifier = 2
        let legacy = ClipTextModel(configuration: legacyConfiguration, weights: model.weights)
        #expect(legacy.pooledPosition(of: [97, 5, 98, 6]) == 2)
        #expect(legacy.pooledPosition(of: [97, 5, 6]) == 0)
    }

    @Test func missingKeyThrowsNamingIt() throws {
        let configuration = try Self.model().configuration
        var tensors = try TinyEncoderFixture.tensors(Self.name)
        let name = "text_model.encoder.layers.1.mlp.fc2.bias"
        #expect(tensors.removeValue(forKey: name) != nil)
        #expect(throws: WeightsError.missingKey(name: name, path: "")) {
            do { _ = try ClipTextWeights(file: try TemporarySafetensors.write(tensors), configuration: configuration) } catch let error as WeightsError {
                throw error.withoutPath
            }
        }
    }

    @Test func misShapedKeyThrowsNamingIt() throws {
        let configuration = try Self.model().configuration
        var tensors = try TinyEncoderFixture.tensors(Self.name)
        let name = "text_projection.weight"
        tensors[name] = Tensor.zeros([24, 31])
        #expect(throws: WeightsError.shapeMismatch(name: name, expected: [24, 32], found: [24, 31], path: "")) {
            do { _ = try ClipTextWeights(file: try TemporarySafetensors.write(tensors), configuration: configuration) } catch let error as WeightsError {
                throw error.withoutPath
            }
        }
    }

    @Test func unexpectedKeyThrowsNamingItUnlessItIsTheVisionTowerOfAWholeModel() throws {
        let configuration = try Self.model().configuration
        var tensors = try TinyEncoderFixture.tensors(Self.name)
        tensors["text_model.encoder.layers.2.mlp.fc2.bias"] = Tensor.zeros([32])
        #expect(throws: WeightsError.unexpectedKeys(names: ["text_model.encoder.layers.2.mlp.fc2.bias"], path: "")) {
            do { _ = try ClipTextWeights(file: try TemporarySafetensors.write(tensors), configuration: configuration) } catch let error as WeightsError {
                throw error.withoutPath
            }
        }
        tensors = try TinyEncoderFixture.tensors(Self.name)
        tensors["visual_projection.weight"] = Tensor.zeros([24, 8])
        tensors["logit_scale"] = Tensor.zeros([1])
        #expect(throws: WeightsError.self) { try ClipTextWeights(file: try TemporarySafetensors.write(tensors), configuration: configuration) }
        let weights = try ClipTextWeights(file: try TemporarySafetensors.write(tensors), configuration: configuration, ignoringVisionTower: true)
        #expect(weights.layers.count == 2)
    }

    @Test func configurationRejectsWhatItCannotRun() throws {
        let gelu = #"{"hidden_size": 32, "num_attention_heads": 4, "hidden_act": "silu"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ClipTextConfiguration.self, from: Data(gelu.utf8)) }
        let heads = #"{"hidden_size": 30, "num_attention_heads": 4}"#
        let configuration = try JSONDecoder().decode(ClipTextConfiguration.self, from: Data(heads.utf8))
        #expect(throws: EncoderError.self) { try configuration.validate(path: "config.json") }
        // A whole CLIP model's configuration: the text tower's fields are nested, the projection width outside.
        let whole = #"{"projection_dim": 16, "text_config": {"hidden_size": 64, "num_attention_heads": 2, "eos_token_id": 2}}"#
        let nested = try JSONDecoder().decode(ClipTextConfiguration.self, from: Data(whole.utf8))
        #expect(nested.projectionSize == 16 && nested.hiddenSize == 64 && nested.poolsAtLargestIdentifier && nested.describesWholeModel)
        #expect(nested.vocabularySize == 49408 && nested.maximumPositions == 77 && nested.activation == .quickGELU)
    }

    @Test func rejectsInvalidInput() throws {
        let model = try Self.model()
        #expect(throws: EncoderError.self) { try model([[]]) }
        #expect(throws: EncoderError.self) { try model([[97, 99]]) }
        #expect(throws: EncoderError.self) { try model([[Int32](repeating: 5, count: 33)]) }
    }
}

extension WeightsError {
    /// The error with its file path blanked, to compare against an expected value (the files are temporary).
    var withoutPath: WeightsError {
        switch self {
        case let .missingKey(name, _): .missingKey(name: name, path: "")
        case let .unexpectedKeys(names, _): .unexpectedKeys(names: names, path: "")
        case let .shapeMismatch(name, expected, found, _): .shapeMismatch(name: name, expected: expected, found: found, path: "")
        default: self
        }
    }
}
