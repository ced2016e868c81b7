/// Which model produced a catalogue's vectors. Vectors of two models live in different spaces, so
/// a catalogue holds the vectors of exactly one identity; indexing with another model re-embeds
/// every file.
public struct ModelIdentity: Sendable, Equatable, Codable, CustomStringConvertible {
    /// A digest of the checkpoint's weights and configuration (16 hexadecimal digits).
    public var digest: String
    /// Width of the vectors.
    public var dimension: Int
    /// Segments per track and their length: part of the identity, since they change the vectors.
    public var segmentCount: Int
    public var segmentSeconds: Double
    /// Where the checkpoint was loaded from, for messages only (not compared).
    public var source: String

    public init(digest: String, dimension: Int, segmentCount: Int, segmentSeconds: Double, source: String) {
        self.digest = digest
        self.dimension = dimension
        self.segmentCount = segmentCount
        self.segmentSeconds = segmentSeconds
        self.source = source
    }

    /// Whether vectors made under `other` are comparable with vectors made under this identity.
    public func matches(_ other: ModelIdentity) -> Bool {
        digest == other.digest && dimension == other.dimension && segmentCount == other.segmentCount
            && segmentSeconds == other.segmentSeconds
    }

    public var description: String {
        "model \(digest) (\(dimension)-d, \(segmentCount) × \(segmentSeconds) s segments, from \(source))"
    }
}
