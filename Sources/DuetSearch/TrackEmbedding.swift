/// A whole track's embedding and what was learnt on the way.
public struct TrackEmbedding: Sendable, Equatable {
    /// The L2-normalised mean of the segments' L2-normalised embeddings, `[dimension]`.
    public var vector: [Float]
    /// Length of the track in seconds, from the file's header (an estimate for MP3).
    public var duration: Double
    /// Segments that were embedded, in seconds.
    public var segmentStarts: [Double]
    /// musicnn's most likely tags over the embedded segments, most likely first (empty for
    /// models without the locked musicnn).
    public var tags: [String]

    public init(vector: [Float], duration: Double, segmentStarts: [Double], tags: [String]) {
        self.vector = vector
        self.duration = duration
        self.segmentStarts = segmentStarts
        self.tags = tags
    }
}
