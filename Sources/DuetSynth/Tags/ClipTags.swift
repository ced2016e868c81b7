import DuetData

/// The expert tags of one clip: 1-2 genres (the first is the primary one that sets the groove),
/// 1-3 moods and 2-6 instruments.
public struct ClipTags: Sendable, Equatable, Hashable, Codable {
    public var genres: [Genre]
    public var moods: [Mood]
    public var instruments: [Instrument]

    public init(genres: [Genre], moods: [Mood], instruments: [Instrument]) {
        self.genres = genres
        self.moods = moods
        self.instruments = instruments
    }

    /// The tags as a manifest's `tags` field: category name → canonical tag strings. Genres keep
    /// their order (primary first); moods and instruments are sorted in vocabulary order.
    public var manifestTags: [String: [String]] {
        [
            TagCategory.genre: genres.map(\.rawValue),
            TagCategory.mood: moods.sorted().map(\.rawValue),
            TagCategory.instrument: instruments.sorted().map(\.rawValue),
        ]
    }
}
