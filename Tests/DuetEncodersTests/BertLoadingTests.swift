import DuetEncoders
import DuetRandom
import DuetTensor
import DuetWeights
import Foundation
import DuetTestSupport
import Testing

/// Strict loading and batching on a tiny random BERT written to a temporary safetensors file.
@Suite struct BertLoadingTests {
    static let configuration = BertConfiguration(
        vocabularySize: 11, hiddenSize: 8, layerCount: 2, headCount: 2, intermediateSize: 12, maximumPositions: 16)

    static func tinyTensors(seed: UInt64 = 7) -> [String: Tensor] {
        var generator = SeededGenerator(seed: seed)
        let c = configuration
        var shapes: [String: [Int]] = [
            "embeddings.word_embeddings.weight": [c.vocabularySize, c.hiddenSize],
            "embeddings.position_embeddings.weight": [c.maximumPositions, c.hiddenSize],
            "embeddings.token_type_embeddings.weight": [c.tokenTypeCount, c.hiddenSize],
            "embeddings.LayerNorm.weight": [c.hiddenSize], "embeddings.LayerNorm.bias": [c.hiddenSize],
            "pooler.dense.weight": [c.hiddenSize, c.hiddenSize], "pooler.dense.bias": [c.hiddenSize],
        ]
        for layer in 0..<c.layerCount {
            let base = "encoder.layer.\(layer)."
            for name in ["query", "key", "value"] {
                shapes[base + "attention.self.\(name).weight"] = [c.hiddenSize, c.hiddenSize]
                shapes[base + "attention.self.\(name).bias"] = [c.hiddenSize]
            }
            shapes[base + "attention.output.dense.weight"] = [c.hiddenSize, c.hiddenSize]
            shapes[base + "attention.output.dense.bias"] = [c.hiddenSize]
            shapes[base + "attention.output.LayerNorm.weight"] = [c.hiddenSize]
            shapes[base + "attention.output.LayerNorm.bias"] = [c.hiddenSize]
            shapes[base + "intermediate.dense.weight"] = [c.intermediateSize, c.hiddenSize]
            shapes[base + "intermediate.dense.bias"] = [c.intermediateSize]
            shapes[base + "output.dense.weight"] = [c.hiddenSize, c.intermediateSize]
            shapes[base + "output.dense.bias"] = [c.hiddenSize]
            shapes[base + "output.LayerNorm.weight"] = [c.hiddenSize]
            shapes[base + "output.LayerNorm.bias"] = [c.hiddenSize]
        }
        var tensors = shapes.mapValues { Tensor.randomNormal($0, using: &generator) }
        tensors["embeddings.position_ids"] = Tensor((0..<c.maximumPositions).map(Float.init), shape: [1, c.maximumPositions])
        return tensors
    }

    /// Padding a sentence changes sgemm shapes and the attention softmax's length: the same maths in
    /// another order. The tiny model's weights are N(0, 1) draws (|w| < 4.5 for these few hundred),
    /// layer-normed activations are at most √8 · 4.5 + 4.5 ≈ 17, so Σ|w x| ≤ 12 · 4.5 · 17 < 1000 over the
    /// 12-wide feed-forward layer; two layers of four successive reductions.
    static let paddingTolerance = Tolerance.reordered(terms: 12, magnitude: 1000, layers: 8)

    static func write(_ tensors: [String: Tensor]) throws -> SafetensorsFile { try TemporarySafetensors.write(tensors) }

    @Test func loadsCompleteCheckpointAndIgnoresOnlyKnownExtras() throws {
        let weights = try BertWeights(file: try Self.write(Self.tinyTensors()), configuration: Self.configuration)
        #expect(weights.layers.count == 2)
        #expect(weights.layers[0].queryKeyValueWeight.count == 3 * 8 * 8)
    }

    @Test func missingKeyThrowsNamingIt() throws {
        var tensors = Self.tinyTensors()
        tensors["encoder.layer.1.intermediate.dense.bias"] = nil
        #expect(throws: WeightsError.self) { try BertWeights(file: try Self.write(tensors), configuration: Self.configuration) }
        do {
            _ = try BertWeights(file: try Self.write(tensors), configuration: Self.configuration)
        } catch {
            #expect(error.localizedDescription.contains("encoder.layer.1.intermediate.dense.bias"))
        }
    }

    @Test func extraKeyThrowsNamingIt() throws {
        var tensors = Self.tinyTensors()
        tensors["encoder.layer.2.output.dense.bias"] = Tensor.zeros([8])
        do {
            _ = try BertWeights(file: try Self.write(tensors), configuration: Self.configuration)
            Issue.record("an unexpected key must throw")
        } catch let error as WeightsError {
            #expect(error == .unexpectedKeys(names: ["encoder.layer.2.output.dense.bias"], path: (error.failingPath ?? "")))
        }
    }

    @Test func misShapedKeyThrowsNamingIt() throws {
        var tensors = Self.tinyTensors()
        tensors["pooler.dense.weight"] = Tensor.zeros([8, 4])
        tensors["encoder.layer.0.attention.self.key.weight"] = Tensor.zeros([8, 7])
        do {
            _ = try BertWeights(file: try Self.write(tensors), configuration: Self.configuration)
            Issue.record("a mis-shaped key must throw")
        } catch let error as WeightsError {
            #expect(error.localizedDescription.contains("encoder.layer.0.attention.self.key.weight"))
        }
        tensors = Self.tinyTensors()
        tensors["pooler.dense.weight"] = Tensor.zeros([8, 4])
        #expect(throws: WeightsError.self) { try BertWeights(file: try Self.write(tensors), configuration: Self.configuration) }
    }

    @Test func positionIdentifiersMustBeTheIdentity() throws {
        var tensors = Self.tinyTensors()
        tensors["embeddings.position_ids"] = Tensor((0..<16).map { Float(15 - $0) }, shape: [1, 16])
        #expect(throws: BertError.self) { try BertWeights(file: try Self.write(tensors), configuration: Self.configuration) }
    }

    @Test func paddedBatchEqualsSentencesOneAtATime() throws {
        let model = BertModel(
            configuration: Self.configuration,
            weights: try BertWeights(file: try Self.write(Self.tinyTensors()), configuration: Self.configuration))
        let sentences: [[Int32]] = [[1, 5, 2], [1, 3, 4, 6, 7, 8, 2], [1, 2]]
        let padded = try model.hiddenStates(padding: sentences)
        #expect(padded.shape == [3, 7, 8])
        for (row, sentence) in sentences.enumerated() {
            let single = try model.hiddenStates(sentences: [sentence])[0]
            let rowStart = row * 7 * 8
            let kept = Array(padded.storage[rowStart..<(rowStart + sentence.count * 8)])
            expectClose(kept, Array(single[0..<(sentence.count * 8)]), Self.paddingTolerance, "sentence \(row) padded vs alone")
            #expect(padded.storage[(rowStart + sentence.count * 8)..<(rowStart + 7 * 8)].allSatisfy { $0 == 0 }, "padding rows are zero")
        }
        let embeddings = try model.sentenceEmbeddings(sentences: sentences)
        for embedding in embeddings {
            #expect(abs(embedding.reduce(0) { $0 + $1 * $1 } - 1) <= 1e-5, "embeddings have unit norm")
        }
    }

    @Test func rejectsInvalidInput() throws {
        let model = BertModel(
            configuration: Self.configuration,
            weights: try BertWeights(file: try Self.write(Self.tinyTensors()), configuration: Self.configuration))
        #expect(throws: BertError.self) { try model.sentenceEmbeddings(sentences: [[]]) }
        #expect(throws: BertError.self) { try model.sentenceEmbeddings(sentences: [[1, 11]]) }
        #expect(throws: BertError.self) { try model.sentenceEmbeddings(sentences: [Array(repeating: 1, count: 17)]) }
    }

    @Test func configurationDecodesConfigJSON() throws {
        let json = #"{"vocab_size": 30522, "hidden_size": 384, "num_hidden_layers": 6, "num_attention_heads": 12, "intermediate_size": 1536, "max_position_embeddings": 512, "type_vocab_size": 2, "layer_norm_eps": 1e-12, "hidden_act": "gelu", "position_embedding_type": "absolute", "model_type": "bert"}"#
        let configuration = try JSONDecoder().decode(BertConfiguration.self, from: Data(json.utf8))
        #expect(configuration.headSize == 32)
        #expect(configuration.layerCount == 6)
        var relu = configuration
        relu.hiddenActivation = "relu"
        #expect(throws: BertError.self) { try relu.validate(path: "config.json") }
    }
}

extension WeightsError {
    var failingPath: String? {
        if case let .unexpectedKeys(_, path) = self { return path }
        return nil
    }
}
