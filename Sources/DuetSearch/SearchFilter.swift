import DuetCatalog

/// Which tracks a search may return. Every given condition must hold; an absent one always holds.
public struct SearchFilter: Sendable, Equatable, Codable {
    /// A genre, matched case-insensitively against the file's genre tags and musicnn's stored tags.
    public var genre: String?
    /// Part of the artist tag, matched case-insensitively (a track without artist never matches).
    public var artist: String?
    /// Duration bounds in seconds, inclusive.
    public var minimumDuration: Double?
    public var maximumDuration: Double?
    /// A folder: only tracks under it (whole path components: `/music/a` does not match `/music/ab`).
    public var pathPrefix: String?

    public init(genre: String? = nil, artist: String? = nil, minimumDuration: Double? = nil, maximumDuration: Double? = nil,
                pathPrefix: String? = nil) {
        self.genre = genre
        self.artist = artist
        self.minimumDuration = minimumDuration
        self.maximumDuration = maximumDuration
        self.pathPrefix = pathPrefix
    }

    public var isEmpty: Bool {
        genre == nil && artist == nil && minimumDuration == nil && maximumDuration == nil && pathPrefix == nil
    }

    /// Whether `track` passes (its vector is not looked at).
    public func accepts(_ track: CatalogTrack) -> Bool {
        if let minimumDuration, track.duration < minimumDuration { return false }
        if let maximumDuration, track.duration > maximumDuration { return false }
        if let genre {
            let wanted = genre.lowercased()
            guard track.genres.contains(where: { $0.lowercased() == wanted })
                || track.musicnnTags.contains(where: { $0.lowercased() == wanted }) else { return false }
        }
        if let artist {
            guard let name = track.artist, name.lowercased().contains(artist.lowercased()) else { return false }
        }
        if let pathPrefix {
            var folder = pathPrefix
            while folder.count > 1 && folder.hasSuffix("/") { folder.removeLast() }
            guard track.path == folder || track.path.hasPrefix(folder == "/" ? "/" : folder + "/") else { return false }
        }
        return true
    }
}

/// Limits that keep one artist or album from filling the results: at most `maxPerArtist` tracks
/// of an artist and `maxPerAlbum` of an album (artist and album compared case-insensitively;
/// tracks without the tag are not limited). The best-scoring tracks of each are kept.
public struct Diversity: Sendable, Equatable, Codable {
    public var maxPerArtist: Int?
    public var maxPerAlbum: Int?

    public init(maxPerArtist: Int? = nil, maxPerAlbum: Int? = nil) {
        self.maxPerArtist = maxPerArtist
        self.maxPerAlbum = maxPerAlbum
    }

    public var isEmpty: Bool { maxPerArtist == nil && maxPerAlbum == nil }
}
