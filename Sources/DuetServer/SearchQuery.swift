/// A free-text search with its filters and diversity limits, as the API and the CLI take it.
public struct SearchQuery: Sendable, Equatable, Codable {
    /// The query text (never empty; the server limits its length).
    public var text: String
    /// How many tracks to return at most.
    public var k: Int
    public var filters: SearchFilters
    public var diversity: SearchDiversity

    public init(text: String, k: Int, filters: SearchFilters = .init(), diversity: SearchDiversity = .init()) {
        self.text = text
        self.k = k
        self.filters = filters
        self.diversity = diversity
    }
}

/// Conditions every returned track meets; nil means no condition.
public struct SearchFilters: Sendable, Equatable, Codable {
    /// Case-insensitive match against one of the track's genres.
    public var genre: String?
    /// Case-insensitive match against the track's artist.
    public var artist: String?
    /// Shortest duration in seconds (inclusive).
    public var minimumDuration: Double?
    /// Longest duration in seconds (inclusive).
    public var maximumDuration: Double?
    /// The track's file path starts with this prefix (a filter on the library's folders; the path itself is
    /// never sent back).
    public var pathPrefix: String?

    public init(
        genre: String? = nil, artist: String? = nil, minimumDuration: Double? = nil, maximumDuration: Double? = nil,
        pathPrefix: String? = nil
    ) {
        self.genre = genre
        self.artist = artist
        self.minimumDuration = minimumDuration
        self.maximumDuration = maximumDuration
        self.pathPrefix = pathPrefix
    }
}

/// Limits on how many results may share an artist or an album; nil means no limit.
public struct SearchDiversity: Sendable, Equatable, Codable {
    public var maximumPerArtist: Int?
    public var maximumPerAlbum: Int?

    public init(maximumPerArtist: Int? = nil, maximumPerAlbum: Int? = nil) {
        self.maximumPerArtist = maximumPerArtist
        self.maximumPerAlbum = maximumPerAlbum
    }
}
