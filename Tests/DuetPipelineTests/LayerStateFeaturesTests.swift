import DuetEncoders
import DuetPipeline
import Testing

/// The layout of MERT's and HTS-AT's cached features, on an encoder whose states are the samples themselves:
/// chunks laid end to end in time, each layer pooled over its own frames, layers side by side per token.
@Suite("Layer-state features")
struct LayerStateFeaturesTests {
    /// Layer 0: one frame per sample, the sample; layer 1: one frame per two samples, (mean, −mean) of the pair.
    /// A window of 10 samples, as a model's window.
    struct RampEncoder: LayerStateAudioEncoder {
        var sampleRate: Int { 100 }
        var layerWidths: [Int] { [1, 2] }
        var windowSampleCount: Int { 10 }
        var minimumSampleCount: Int { 2 }

        func layerStates(samples: [Float]) throws -> [[Float]] {
            #expect(samples.count <= windowSampleCount, "a chunk longer than the window")
            let pairs = stride(from: 0, to: samples.count - 1, by: 2).flatMap { index -> [Float] in
                let mean = (samples[index] + samples[index + 1]) / 2
                return [mean, -mean]
            }
            return [samples, pairs]
        }
    }

    @Test func chunksAreJoinedInTimeAndLayersPooledOnTheirOwnFrames() throws {
        let samples = (0..<20).map(Float.init)
        let features = try AudioFeatureExtractor.layerStateFeatures(encoder: RampEncoder(), tokenCount: 2) { sink in
            try sink(Array(samples[0..<7]))
            try sink(Array(samples[7...]))
        }
        // Token 0 covers samples 0-9 (mean 4.5), token 1 samples 10-19 (14.5), in both layers; every value is a
        // sum of small integers and halves, exact in float32.
        #expect(features == [4.5, 4.5, -4.5, 14.5, 14.5, -14.5])
    }
}
