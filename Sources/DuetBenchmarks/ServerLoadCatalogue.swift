import DuetServer

/// The synthetic library of the loopback load test (`make bench-serve`): `count` tracks whose titles, artists,
/// albums, genres and tags are drawn by index arithmetic from small word lists, so every run serves the
/// same catalogue. Served by ``InMemorySearchService`` (word-overlap scores), which stands in for the real
/// catalogue until `duet serve` is wired to it.
public enum ServerLoadCatalogue {
    static let moods = ["slow", "fast", "calm", "dark", "bright", "melancholic", "happy", "dreamy", "energetic", "gentle", "heavy", "soft"]
    static let instruments = ["piano", "guitar", "fiddle", "synth", "drums", "bass", "strings", "flute", "organ", "voice", "brass"]
    static let genres = ["classical", "folk", "electronic", "jazz", "rock", "ambient", "pop", "hiphop", "country", "blues"]
    static let nouns = ["evening", "river", "road", "dance", "morning", "storm", "garden", "city", "dream", "fire", "winter"]

    public static func service(count: Int) -> InMemorySearchService {
        let entries = (0..<count).map { index -> InMemorySearchService.Entry in
            let id = Int64(index + 1)
            let mood = moods[(index * 7) % moods.count]
            let instrument = instruments[(index * 3) % instruments.count]
            let genre = genres[index % genres.count]
            let record = TrackRecord(
                id: id, title: "\(mood.capitalized) \(nouns[(index / 3) % nouns.count].capitalized) \(index)",
                artist: "Artist \(index % 400)", album: "Album \(index % 1200)", genres: [genre],
                year: 1960 + index % 60, duration: Double(60 + (index * 37) % 300),
                tags: [mood, instrument, moods[(index * 13 + 5) % moods.count]])
            return InMemorySearchService.Entry(record: record, path: "/library/\(genre)/\(id).mp3")
        }
        return InMemorySearchService(entries: entries, modelIdentity: "in-memory word overlap (load-test catalogue)")
    }
}
