/// One indexed audio file: where it is, how it was identified, what its tags say, and its
/// embedding. `id` is assigned by the catalogue (0 until stored) and is stable while the file
/// stays at its path, so a server can hand it out instead of a path.
public struct CatalogTrack: Sendable, Equatable, Codable {
    public var id: Int64
    /// Absolute, standardised path (symlinks resolved).
    public var path: String
    public var size: Int64
    /// Modification time in seconds since 1970.
    public var modified: Double
    /// 16 hexadecimal digits of the 64-bit FNV-1a hash of the file's bytes.
    public var contentHash: String
    /// Decoded length in seconds.
    public var duration: Double
    public var title: String?
    public var artist: String?
    public var album: String?
    public var genres: [String]
    public var year: Int?
    /// musicnn's most likely MagnaTagATune tags for the track, most likely first (empty for
    /// models without the locked musicnn).
    public var musicnnTags: [String]
    /// The L2-normalised track embedding, `[embeddingWidth]`.
    public var vector: [Float]

    public init(
        id: Int64 = 0, path: String, size: Int64, modified: Double, contentHash: String, duration: Double,
        title: String? = nil, artist: String? = nil, album: String? = nil, genres: [String] = [], year: Int? = nil,
        musicnnTags: [String] = [], vector: [Float]
    ) {
        self.id = id
        self.path = path
        self.size = size
        self.modified = modified
        self.contentHash = contentHash
        self.duration = duration
        self.title = title
        self.artist = artist
        self.album = album
        self.genres = genres
        self.year = year
        self.musicnnTags = musicnnTags
        self.vector = vector
    }

    /// The title, or the file name when the file has no title tag.
    public var displayTitle: String {
        if let title { return title }
        return path.split(separator: "/").last.map(String.init) ?? path
    }
}
