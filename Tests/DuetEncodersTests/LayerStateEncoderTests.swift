import DuetEncoders
import DuetRandom
import DuetTensor
import DuetTestSupport
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

    /// The layers are the hidden states split by state (one forward pass, so exactly), and they are
    /// `transformers`' hidden states within the parity tolerance of `MertReferenceTests`.
    @Test func mertLayersAreItsHiddenStates() throws {
        let model = try MertReferenceTests.model("mert-tiny")
        let fixture = try MertReferenceTests.Fixture.load("mert-tiny")
        let clip = try MertReferenceTests.Clips.load().clips[0]
        let states = try model.hiddenStates(samples: clip.samples)
        let layers = MertModel.layerStates(of: states)
        #expect(model.layerWidths == [32, 32, 32] && layers.count == states.shape[0])
        #expect(layers.joined().elementsEqual(states.storage), "the same values, split by state")
        let computed = try model.layerStates(samples: clip.samples)
        for (layer, expected) in fixture.cases[0].hiddenStates.enumerated() {
            expectClose(computed[layer], expected, fixture.tolerance(layer: layer, configuration: model.configuration, samples: clip.samples.count),
                        "hidden state \(layer)")
        }
        #expect(model.windowSampleCount == 5 * model.configuration.sampleRate && model.minimumSampleCount == 400)
    }

    @Test func htsatLayersAreItsStagesAveragedOverFrequency() throws {
        let model = try HTSATReferenceTests.model()
        let configuration = model.configuration
        let samples = Self.noise(configuration.clipSamples, seed: 2)
        let output = try model([samples])
        let layers = model.layerStates(of: output)
        #expect(try model.layerStates(samples: samples).map(\.count) == layers.map(\.count))
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
