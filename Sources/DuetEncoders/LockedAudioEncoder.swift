import DuetAudio

/// A locked (never trained) audio encoder as DuET-MC reads it: per-patch frame features of its layers
/// and tag probabilities, from mono samples. musicnn (`MusiCNN`) is the real one; tests use a small
/// stand-in (`DuetTestSupport.StandInAudioEncoder`) so that the pipeline runs without weights.
public protocol LockedAudioEncoder: Sendable {
    /// The tag names, in the order of every patch's `tagProbabilities`.
    var tags: [String] { get }
    /// The sample rate of the mono samples `analyse` reads.
    var sampleRate: Int { get }
    /// Channels of one frame of each layer (musicnn: front end 561, then three mid-end layers of 64).
    var layerWidths: [Int] { get }
    /// Runs the encoder over the clip whose samples `source` hands to its sink, in order, and passes
    /// each patch's features to `body`, `batchSize` patches per forward.
    func analyse(
        samples source: (_ sink: ([Float]) throws -> Void) throws -> Void, batchSize: Int,
        _ body: (MusiCNNPatchFeatures) throws -> Void
    ) throws
}

extension LockedAudioEncoder {
    /// Channels of one concatenated frame (the sum of `layerWidths`).
    public var frameWidth: Int { layerWidths.reduce(0, +) }

}

extension MusiCNN: LockedAudioEncoder {
    public var sampleRate: Int { configuration.logMel.sampleRate }
    public var layerWidths: [Int] { configuration.layerWidths }
}
