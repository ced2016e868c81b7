/// What the API shows of a track: display fields only, never its path on disk.
public struct TrackRecord: Sendable, Equatable, Codable {
    public var id: TrackID
    /// The title tag, or the file name without extension when the file has none.
    public var title: String
    public var artist: String?
    public var album: String?
    public var genres: [String]
    public var year: Int?
    /// Seconds.
    public var duration: Double
    /// The audio model's top tags, best first (for display and filters).
    public var tags: [String]

    public init(
        id: TrackID, title: String, artist: String? = nil, album: String? = nil, genres: [String] = [], year: Int? = nil,
        duration: Double, tags: [String] = []
    ) {
        self.id = id
        self.title = title
        self.artist = artist
        self.album = album
        self.genres = genres
        self.year = year
        self.duration = duration
        self.tags = tags
    }
}

/// One search result: the track and its cosine similarity to the query (higher is closer).
public struct TrackHit: Sendable, Equatable, Codable {
    public var track: TrackRecord
    public var score: Float

    public init(track: TrackRecord, score: Float) {
        self.track = track
        self.score = score
    }
}
