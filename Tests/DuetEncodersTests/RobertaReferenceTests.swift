import DuetEncoders
import DuetTensor
import DuetTestSupport
import DuetWeights
import Foundation
import Testing

/// Parity of ``BertModel`` under RoBERTa's position numbering with `transformers`' `RobertaModel` on
/// the tiny random checkpoint `Scripts/reference/roberta_reference.py` wrote (`Resources/roberta-tiny`):
/// every layer's states within tolerances derived from the reductions' float32 error, including a
/// sentence with a padding id inside it and one filling the whole position table; and strict loading.
@Suite struct RobertaReferenceTests {
    static let name = "roberta-tiny"

    static func model() throws -> BertModel { try BertModel(directory: try TinyEncoderFixture.folder(name)) }

    /// Reductions up to `hidden_states[l]`: the embeddings' sum and norm, then per layer the
    /// query-key-value, score, context and output products, two feed-forward products and two norms.
    static func stages(throughLayer layer: Int) -> Int { 2 + 8 * layer }

    @Test func configurationSelectsRobertaPositions() throws {
        let configuration = try Self.model().configuration
        #expect(configuration.positionNumbering == .afterPadding(paddingIdentifier: 1))
        #expect(configuration.tokenTypeCount == 1 && configuration.maximumPositions == 34 && configuration.longestSentence == 32)
        #expect(configuration.positionNumbering.rows(of: [0, 7, 1, 8, 2]) == [2, 3, 1, 4, 5], "a padding id reads the padding row and is not counted")
        #expect(BertConfiguration.PositionNumbering.sequential.rows(of: [0, 7, 1]) == [0, 1, 2])
    }

    @Test func everyLayerMatchesTransformers() throws {
        let model = try Self.model()
        let fixture = try TinyEncoderFixture.load(Self.name)
        let configuration = model.configuration
        let terms = max(configuration.intermediateSize, configuration.hiddenSize, configuration.maximumPositions)
        var largest = [Float](repeating: 0, count: configuration.layerCount + 1)
        for batch in fixture.batchedCases {
            let ids = batch.map(\.ids)
            let layers = try model.layerStates(sentences: ids)
            let last = try model.hiddenStates(sentences: ids)
            #expect(layers.count == configuration.layerCount + 1)
            for (row, item) in batch.enumerated() {
                for (layer, expected) in item.hiddenStates.enumerated() {
                    let comparison = expectClose(
                        layers[layer][row], expected, fixture.tolerance(stages: Self.stages(throughLayer: layer), terms: terms),
                        "hidden_states[\(layer)] of \(item.ids)")
                    largest[layer] = max(largest[layer], comparison.largestDifference)
                }
                // The threaded entry point computes the same states.
                expectClose(
                    last[row], item.lastHiddenState, fixture.tolerance(stages: Self.stages(throughLayer: configuration.layerCount), terms: terms),
                    "last_hidden_state of \(item.ids)")
            }
        }
        let finalTolerance = fixture.tolerance(stages: Self.stages(throughLayer: configuration.layerCount), terms: terms)
        print("RoBERTa vs transformers \(fixture.transformers): largest difference per hidden_states entry \(largest) (last layer's tolerance \(finalTolerance))")
    }

    @Test func strictLoadingNamesTheKey() throws {
        let configuration = try Self.model().configuration
        func load(_ tensors: [String: Tensor]) throws {
            do { _ = try BertWeights(file: try TemporarySafetensors.write(tensors), configuration: configuration) } catch let error as WeightsError {
                throw error.withoutPath
            }
        }
        var tensors = try TinyEncoderFixture.tensors(Self.name)
        #expect(tensors.removeValue(forKey: "encoder.layer.0.attention.self.value.bias") != nil)
        #expect(throws: WeightsError.missingKey(name: "encoder.layer.0.attention.self.value.bias", path: "")) { try load(tensors) }
        tensors = try TinyEncoderFixture.tensors(Self.name)
        tensors["embeddings.token_type_embeddings.weight"] = Tensor.zeros([2, 32])
        #expect(throws: WeightsError.shapeMismatch(name: "embeddings.token_type_embeddings.weight", expected: [1, 32], found: [2, 32], path: "")) {
            try load(tensors)
        }
        tensors = try TinyEncoderFixture.tensors(Self.name)
        tensors["lm_head.bias"] = Tensor.zeros([99])
        #expect(throws: WeightsError.unexpectedKeys(names: ["lm_head.bias"], path: "")) { try load(tensors) }
    }

    /// roberta-base's layout (`RobertaForMaskedLM`): the encoder under `roberta.`, the masked-LM head beside it.
    @Test func taskModelCheckpointLoadsItsEncoderByPrefix() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-roberta-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(
            at: try TinyEncoderFixture.folder(Self.name).appendingPathComponent("config.json"), to: folder.appendingPathComponent("config.json"))
        var tensors: [String: Tensor] = [:]
        for (name, tensor) in try TinyEncoderFixture.tensors(Self.name) { tensors["roberta." + name] = tensor }
        tensors["lm_head.dense.weight"] = Tensor.zeros([32, 32])
        tensors["lm_head.bias"] = Tensor.zeros([99])
        try Safetensors.write(tensors, to: folder.appendingPathComponent("model.safetensors"))
        let reference = try Self.model()
        let loaded = try BertModel(directory: folder)
        #expect(loaded.weights.layers[1].outputWeight == reference.weights.layers[1].outputWeight)
        #expect(loaded.weights.positionEmbeddings == reference.weights.positionEmbeddings)
        // Without the prefix, the head is as unexpected as any other name.
        tensors["lm_head.extra"] = Tensor.zeros([1])
        let file = try TemporarySafetensors.write(tensors)
        #expect(BertWeights.checkpointPrefix(in: file) == "roberta.")
        #expect(throws: WeightsError.self) { try BertWeights(file: file, configuration: reference.configuration, prefix: "roberta.") }
        _ = try BertWeights(file: file, configuration: reference.configuration, prefix: "roberta.", ignoringTaskHead: true)
    }

    @Test func rejectsSentencesPastThePositionTable() throws {
        let model = try Self.model()
        #expect(throws: BertError.self) { try model.hiddenStates(sentences: [[Int32](repeating: 5, count: 33)]) }
        // Padding ids take no position row of their own, so they do not count against the table.
        _ = try model.hiddenStates(sentences: [[Int32](repeating: 5, count: 32) + [1]])
    }

    @Test func configurationRejectsOtherModelTypes() throws {
        let json = #"{"model_type": "deberta", "vocab_size": 9, "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 8, "max_position_embeddings": 8}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(BertConfiguration.self, from: Data(json.utf8)) }
    }
}
