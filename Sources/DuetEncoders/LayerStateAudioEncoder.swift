/// A locked audio encoder DuET-MC reads as a stack of layer states over time (MERT's hidden states,
/// HTS-AT's stages averaged over frequency), for the learnable layer aggregator. The encoder sees at most
/// ``windowSampleCount`` samples per call; a longer clip is cut into chunks by the caller
/// (`AudioFeatureExtractor.layerStateFeatures`).
public protocol LayerStateAudioEncoder: Sendable {
    /// The sample rate of the mono samples ``layerStates(samples:)`` reads.
    var sampleRate: Int { get }
    /// Channels of each layer's states, in the order they are concatenated per token.
    var layerWidths: [Int] { get }
    /// The longest run of samples one call reads (the model's window).
    var windowSampleCount: Int { get }
    /// The shortest run of samples one call reads.
    var minimumSampleCount: Int { get }
    /// Each layer's states over time for one window of samples: entry `l` is `[frames_l, layerWidths[l]]`
    /// row-major, frames spanning the window evenly (layers may have different frame counts).
    func layerStates(samples: [Float]) throws -> [[Float]]
}

extension LayerStateAudioEncoder {
    /// Channels of one token of concatenated layers (the sum of ``layerWidths``).
    public var frameWidth: Int { layerWidths.reduce(0, +) }
}
