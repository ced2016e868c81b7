import DuetModel
import DuetNN
import DuetRandom
import DuetTensor
import DuetTestSupport
import DuetWeights
import Foundation
import Testing

@Suite("DuET-MC model")
struct MusicTextModelTests {
    @Test func paperSizedModelHasAboutThreeMillionParameters() {
        let model = MusicTextModel()
        // 2 branches x 2 layers x ~0.79M + projections (753 and 384 to 256) + aggregator.
        #expect((3_000_000...3_600_000).contains(model.parameterCount), "\(model.parameterCount)")
    }

    @Test func embeddingsHaveTheConfiguredShapeAndPaddingDoesNotLeak() {
        var configuration = ModelConfiguration()
        configuration.embeddingWidth = 32
        configuration.feedForwardWidth = 64
        configuration.audioLayerWidths = [12, 4, 4]
        configuration.textWidth = 16
        configuration.dropout = 0
        let model = MusicTextModel(configuration: configuration, seed: 1)
        model.eval()
        var generator = SeededGenerator(seed: 2)
        let audio = Tensor.randomNormal([3, 5, 20], using: &generator)
        #expect(withoutGradient { model.embedAudio(audio) }.shape == [3, 32])

        // The same sentence alone and padded inside a batch gives the same embedding.
        let states = Tensor.randomNormal([1, 4, 16], using: &generator)
        let alone = withoutGradient { model.embedText(states, keyPadding: [false, false, false, false]) }
        let padding = Tensor.randomNormal([1, 3, 16], using: &generator)
        let padded = Tensor.concatenate([states, padding], axis: 1)
        let other = Tensor.randomNormal([1, 7, 16], using: &generator)
        let batch = Tensor.concatenate([padded, other], axis: 0)
        let mask = [false, false, false, false, true, true, true] + [Bool](repeating: false, count: 7)
        let batched = withoutGradient { model.embedText(batch, keyPadding: mask) }
        // Padding changes sgemm shapes and the softmax's length: the same maths in another order.
        // Branch activations are layer-normed (≤ √32) and Σ|w x| ≤ √n · max|x| for the default
        // initialisation: magnitude 64 over the 64-wide feed-forward layer, two layers of four reductions.
        expectClose(alone.storage, Array(batched.storage[0..<32]), .reordered(terms: 64, magnitude: 64, layers: 8),
                    "alone vs padded in a batch")
    }

    @Test func aggregatorGradientsPassTheFiniteDifferenceCheck() {
        let aggregator = LayerAggregator(widths: [3, 2])
        var generator = SeededGenerator(seed: 3)
        aggregator.layerLogits.assign([0.3, -0.2])
        let input = Tensor.randomNormal([2, 2, 5], using: &generator, requiresGradient: true)
        let report = checkGradients(of: [input, aggregator.layerLogits]) { tensors in aggregator(tensors[0]) }
        #expect(report.passed, "\(report)")
        #expect(abs(aggregator.layerWeights.reduce(0, +) - 2) < 1e-5)
    }

    @Test func checkpointsRoundTripAndLoadingIsStrict() throws {
        var configuration = ModelConfiguration()
        configuration.embeddingWidth = 16
        configuration.feedForwardWidth = 32
        configuration.audioLayerWidths = [6, 2]
        configuration.textWidth = 8
        let model = MusicTextModel(configuration: configuration, seed: 4)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-checkpoint-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try ModelCheckpoint.write(model, details: ["epoch": 3], to: folder)
        let loaded = try ModelCheckpoint.loadModel(from: folder)
        #expect(loaded.configuration == configuration)
        for ((name, original), (_, restored)) in zip(model.namedParameters(), loaded.namedParameters()) {
            #expect(original.storage == restored.storage, "\(name)")
        }
        let details = try ModelCheckpoint.description(in: folder, details: [String: Int].self).details
        #expect(details == ["epoch": 3])
        // Either file of the checkpoint stands for its folder (`--checkpoint RUN/best/model.safetensors`).
        for file in [ModelCheckpoint.weightsFile, ModelCheckpoint.configurationFile] {
            let byFile = try ModelCheckpoint.loadModel(from: folder.appendingPathComponent(file))
            #expect(byFile.configuration == configuration, "\(file)")
        }
        // A checkpoint without its weights names the file and does not send the user to `make setup`.
        let incomplete = folder.appendingPathComponent("incomplete")
        try FileManager.default.createDirectory(at: incomplete, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: folder.appendingPathComponent(ModelCheckpoint.configurationFile),
            to: incomplete.appendingPathComponent(ModelCheckpoint.configurationFile))
        #expect { try ModelCheckpoint.loadModel(from: incomplete) } throws: { error in
            let message = (error as? LocalizedError)?.errorDescription ?? ""
            return message.contains(ModelCheckpoint.weightsFile) && !message.contains("make setup")
        }

        // A checkpoint of another shape fails with the key that differs.
        var other = configuration
        other.textWidth = 10
        try ModelCheckpoint.write(MusicTextModel(configuration: other), details: [String: Int](), to: folder)
        let mismatch = MusicTextModel(configuration: configuration)
        #expect { try mismatch.loadParameters(from: folder.appendingPathComponent(ModelCheckpoint.weightsFile)) } throws: { error in
            (error as? LocalizedError)?.errorDescription?.contains("text.input_projection.weight") == true
        }
    }

    @Test func fromScratchModelHasAboutThreeMillionParametersAndSixteenTokens() {
        let model = MusicTextModel(configuration: .fromScratch)
        #expect(model.audioAggregator == nil)
        let convolution = try? #require(model.audioConvolution)
        #expect(convolution?.tokenCount == 16 && convolution?.outputWidth == 128)
        #expect((2_800_000...3_400_000).contains(model.parameterCount), "\(model.parameterCount)")
        #expect(model.namedParameters().contains { $0.name == "audio_cnn.blocks.3.weight" && $0.parameter.shape == [128, 64, 3, 3] })
    }

    @Test func convolutionalEncoderGradientsPassTheFiniteDifferenceCheck() {
        var generator = SeededGenerator(seed: 11)
        let encoder = ConvolutionalAudioEncoder(frameCount: 8, bandCount: 8, channels: [2, 3], using: &generator)
        encoder.norm.weight.assign((0..<3).map { 1 + 0.1 * Float($0) })
        // Distinct values keep max pooling away from ties, where the gradient is not defined.
        let values: [Float] = (0..<128).map { (index: Int) -> Float in Float((index * 37) % 101) / 25 + Float(index) / 1_000 }
        let input = Tensor(values, shape: [2, 8, 8], requiresGradient: true)
        #expect(withoutGradient { encoder(input) }.shape == [2, 4, 3])
        // A small step keeps ReLU inputs and pooling winners from switching inside the difference.
        let report = checkGradients(of: [input] + encoder.parameters(), step: 1e-3) { tensors in encoder(tensors[0]) }
        #expect(report.passed, "\(report)")
    }

    @Test func standardisationIgnoresTheClipLevel() {
        var generator = SeededGenerator(seed: 12)
        let encoder = ConvolutionalAudioEncoder(frameCount: 8, bandCount: 8, channels: [2, 3], using: &generator)
        let clip = Tensor.randomNormal([1, 8, 8], using: &generator)
        let louder = clip * 3 + 2
        let difference = withoutGradient { largestDifference(encoder(clip).storage, encoder(louder).storage) }
        #expect(difference < 1e-4)
    }

    @Test func fromScratchCheckpointsRoundTrip() throws {
        var configuration = ModelConfiguration.fromScratch
        configuration.embeddingWidth = 16
        configuration.feedForwardWidth = 32
        configuration.logMelFrameCount = 16
        configuration.logMelBandCount = 8
        configuration.convolutionChannels = [2, 4]
        let model = MusicTextModel(configuration: configuration, seed: 5)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-scratch-checkpoint-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try ModelCheckpoint.write(model, details: [String: Int](), to: folder)
        let loaded = try ModelCheckpoint.loadModel(from: folder)
        #expect(loaded.configuration == configuration)
        var generator = SeededGenerator(seed: 6)
        let input = Tensor.randomNormal([2, 16, 8], using: &generator)
        model.eval()
        let difference = withoutGradient { largestDifference(model.embedAudio(input).storage, loaded.embedAudio(input).storage) }
        #expect(difference == 0)
    }
}
