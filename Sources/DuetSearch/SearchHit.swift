import DuetCatalog

/// One result: the track (its `vector` is left empty) and its cosine similarity to the query.
public struct SearchHit: Sendable, Equatable {
    public var track: CatalogTrack
    public var score: Float

    public init(track: CatalogTrack, score: Float) {
        self.track = track
        self.score = score
    }
}
