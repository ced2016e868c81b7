/// Everything musicnn computes for one 3-s patch. Frame features are `[time, channels]` row-major.
public struct MusiCNNPatchFeatures: Sendable, Equatable {
    /// Frames in the patch (187).
    public var frameCount: Int
    /// Front-end output, `[frames, 561]`: timbral 7x38 (204) | timbral 7x67 (204) | temporal 128, 64, 32 (51 each).
    public var frontEnd: [Float]
    /// The three mid-end layers, each `[frames, 64]`: musicnn's `cnn1`, `cnn2` and `cnn3` (the last two
    /// include their residual connections).
    public var midEnd: [[Float]]
    /// Maximum over time of the 753 concatenated frame channels (front end, then the three mid-end layers).
    public var maxPool: [Float]
    /// Mean over time of the same 753 channels.
    public var meanPool: [Float]
    /// The 200-d penultimate features (dense + ReLU + batch norm), musicnn's `penultimate`.
    public var penultimate: [Float]
    /// Sigmoid tag probabilities, in the model's tag order.
    public var tagProbabilities: [Float]

    public init(
        frameCount: Int, frontEnd: [Float], midEnd: [[Float]], maxPool: [Float], meanPool: [Float], penultimate: [Float],
        tagProbabilities: [Float]
    ) {
        self.frameCount = frameCount
        self.frontEnd = frontEnd
        self.midEnd = midEnd
        self.maxPool = maxPool
        self.meanPool = meanPool
        self.penultimate = penultimate
        self.tagProbabilities = tagProbabilities
    }

    /// The four layers an aggregator sees, `[frames, width]` each: front end (561) and mid-end 1-3 (64).
    public var layers: [[Float]] { [frontEnd] + midEnd }

    /// The 753 channels of `frame` in musicnn's concatenation order.
    public func concatenatedFrame(_ frame: Int) -> [Float] {
        layers.flatMap { layer in
            let width = layer.count / frameCount
            return layer[(frame * width)..<((frame + 1) * width)]
        }
    }
}
