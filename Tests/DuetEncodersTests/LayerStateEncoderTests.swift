import DuetEncoders
import DuetRandom
import DuetTensor
import Foundation
import Testing

/// MERT and HTS-AT as DuET-MC reads them (`LayerStateAudioEncoder`), on the tiny parity checkpoints: the layers
/// are the model's own outputs, rearranged only; the widths are the ones the configuration promises.
@Suite("Layer states of MERT and HTS-AT")
struct LayerStateEncoderTests {
    static func noise(_ count: Int, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in generator.nextUniform() - 0.5 }
    }

    @Test func mertLayersAreItsHiddenStates() throws {
        let model = try MertReferenceTests.model("mert-tiny")
        let samples = Self.noise(12_000, seed: 1)
        let layers = try model.layerStates(samples: samples)
        let states = try model.hiddenStates(samples: samples)
        #expect(model.layerWidths == [32, 32, 32] && layers.count == states.shape[0])
        // The same call twice in one process at one thread count: the same operations in the same order.
        #expect(layers.joined().elementsEqual(states.storage), "the same values, split by state")
        #expect(model.windowSampleCount == 5 * model.configuration.sampleRate && model.minimumSampleCount == 400)
    }

    @Test func htsatLayersAreItsStagesAveragedOverFrequency() throws {
        let model = try HTSATReferenceTests.model()
        let configuration = model.configuration
        let samples = Self.noise(configuration.clipSamples, seed: 2)
        let layers = try model.layerStates(samples: samples)
        let output = try model([samples])
        #expect(model.layerWidths == [16, 32, 32] && layers.count == configuration.stageCount)
        #expect(layers.last == output.frameStates.storage, "the last layer is the model's frame states")
        for (stage, (layer, width)) in zip(layers, model.layerWidths).enumerated().dropLast() {
            let side = configuration.resolution(ofStage: stage) / 2
            #expect(layer.count == side * configuration.frequencyRatio * width, "stage \(stage): time steps of the merged grid")
            // Each time step is the mean of `bins` tokens: their sum over all steps is the stage's sum, up to the
            // float32 rounding of the means (each a sum of `bins` terms) and of the two totals.
            let bins = side / configuration.frequencyRatio
            let stageTotal = output.stageOutputs[stage].storage.reduce(0.0) { $0 + Double($1) }
            let layerTotal = layer.reduce(0.0) { $0 + Double($1) } * Double(bins)
            let magnitude = output.stageOutputs[stage].storage.reduce(0.0) { $0 + Double(abs($1)) }
            #expect(abs(stageTotal - layerTotal) <= magnitude * Double(bins + 2) * 0x1p-24, "stage \(stage)")
        }
        #expect(model.windowSampleCount == configuration.clipSamples)
    }
}
