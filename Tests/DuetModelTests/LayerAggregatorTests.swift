import DuetModel
import DuetNN
import DuetRandom
import DuetTensor
import DuetTestSupport
import Foundation
import Testing

/// The aggregator's weighted sum across layers of one width (MERT's hidden states): shape, value, gradient,
/// and a model whose audio branch reads one layer's width.
@Suite("Layer aggregator, weighted sum")
struct LayerAggregatorTests {
    /// `Σ_l softmax(logits)_l · LN(x_l)` in Float64 from the input, with the norms' initial affine (1, 0).
    static func reference(_ input: [Float], shape: [Int], layers: Int, logits: [Float], epsilon: Double) -> [Double] {
        let width = shape[2] / layers
        let exponentials = logits.map { exp(Double($0)) }
        let weights = exponentials.map { $0 / exponentials.reduce(0, +) }
        var output = [Double](repeating: 0, count: shape[0] * shape[1] * width)
        for row in 0..<(shape[0] * shape[1]) {
            for layer in 0..<layers {
                let values = (0..<width).map { Double(input[row * shape[2] + layer * width + $0]) }
                let mean = values.reduce(0, +) / Double(width)
                let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(width)
                for channel in 0..<width {
                    output[row * width + channel] += weights[layer] * (values[channel] - mean) / (variance + epsilon).squareRoot()
                }
            }
        }
        return output
    }

    @Test func theWeightedSumGivesOneLayersWidthAndMatchesItsDefinition() {
        let layers = 5, width = 6
        let aggregator = LayerAggregator(widths: Array(repeating: width, count: layers), mixing: .weightedSum)
        #expect(aggregator.outputWidth == width)
        #expect(aggregator.layerWeights.allSatisfy { abs($0 - 1 / Float(layers)) < 1e-6 }, "a plain average at initialisation")
        let logits: [Float] = [0.4, -0.3, 0.1, 0.9, -1.2]
        aggregator.layerLogits.assign(logits)
        var generator = SeededGenerator(seed: 11)
        let input = Tensor.randomNormal([2, 3, layers * width], using: &generator)
        let output = withoutGradient { aggregator(input) }
        #expect(output.shape == [2, 3, width])
        expectClose(aggregator.layerWeights.reduce(0, +), 1, Tolerance(absolute: Tolerance.gamma(2 * layers)), "weights sum to 1")

        // Float32 against Float64: per layer a mean and a variance over `width` terms and a few pointwise
        // steps, then a sum over the layers; every normalised value is at most √width in magnitude.
        let expected = Self.reference(input.storage, shape: input.shape, layers: layers, logits: logits, epsilon: Double(aggregator.norms[0].epsilon))
        let operations = 2 * width + 8 + layers
        expectClose(output.storage, expected.map { Float($0) },
                    Tolerance(absolute: 2 * Tolerance.gamma(operations) * Float(width).squareRoot()), "weighted sum")
    }

    @Test func weightedSumGradientsPassTheFiniteDifferenceCheck() {
        let aggregator = LayerAggregator(widths: [3, 3, 3], mixing: .weightedSum)
        aggregator.layerLogits.assign([0.3, -0.2, 0.5])
        var generator = SeededGenerator(seed: 12)
        let input = Tensor.randomNormal([2, 2, 9], using: &generator, requiresGradient: true)
        let report = checkGradients(of: [input, aggregator.layerLogits, aggregator.norms[1].weight, aggregator.norms[2].bias]) { tensors in
            aggregator(tensors[0])
        }
        #expect(report.passed, "\(report)")
    }

    /// A MERT model's audio branch reads `[batch, tokens, hidden]`; its keys are the concatenating
    /// aggregator's, and a checkpoint of the other mixing is refused by the strict loader on the branch's
    /// input projection.
    @Test func aMertModelReadsOneLayersWidthAndLoadsStrictly() throws {
        var configuration = ModelConfiguration()
        configuration.embeddingWidth = 16
        configuration.feedForwardWidth = 32
        configuration.textWidth = 8
        configuration.audioTokenCount = 4
        configuration.audioEncoderKind = .mert
        configuration.audioLayerWidths = [8, 8, 8]
        let model = MusicTextModel(configuration: configuration, seed: 5)
        #expect(model.audioAggregator?.mixing == .weightedSum)
        let keys = Set(model.namedParameters().map(\.0))
        #expect(keys.contains("audio_aggregator.layer_logits") && keys.contains("audio_aggregator.norms.2.weight"))
        let projection = try #require(model.namedParameters().first { $0.0 == "audio.input_projection.weight" }?.1)
        #expect(projection.shape == [16, 8], "the branch reads one layer's width, not 3 × 8")
        var generator = SeededGenerator(seed: 6)
        model.eval()
        #expect(withoutGradient { model.embedAudio(Tensor.randomNormal([2, 4, 24], using: &generator)) }.shape == [2, 16])

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-mert-checkpoint-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try ModelCheckpoint.write(model, details: [String: Int](), to: folder)
        let loaded = try ModelCheckpoint.loadModel(from: folder)
        #expect(loaded.configuration == configuration && loaded.audioAggregator?.mixing == .weightedSum)

        var concatenating = configuration
        concatenating.audioEncoderKind = .htsat
        #expect { try MusicTextModel(configuration: concatenating).loadParameters(from: folder.appendingPathComponent(ModelCheckpoint.weightsFile)) } throws: { error in
            (error as? LocalizedError)?.errorDescription?.contains("audio.input_projection.weight") == true
        }
    }
}
