import Foundation

/// A ``SearchService`` over tracks held in memory, for tests and the load test. Its scores are the cosine
/// of binary bag-of-words vectors, `|Q ∩ T| / sqrt(|Q| |T|)`, where `T` holds the lower-cased words of a
/// track's title, artist, album, genres and tags: deterministic, so tests can state the expected order.
/// Ties go to the smaller id. Filters and diversity limits follow ``SearchFilters`` and ``SearchDiversity``.
public struct InMemorySearchService: SearchService {
    /// One catalogue entry: the record the API shows, the file's path (for the path-prefix filter) and the
    /// audio file served for it.
    public struct Entry: Sendable {
        public var record: TrackRecord
        public var path: String
        public var audioFile: URL?

        public init(record: TrackRecord, path: String, audioFile: URL? = nil) {
            self.record = record
            self.path = path
            self.audioFile = audioFile
        }
    }

    private let entries: [Entry]
    private let words: [Set<String>]
    private let indexByID: [TrackID: Int]
    private let model: String

    /// - Precondition: ids are unique (a programmer error otherwise).
    public init(entries: [Entry], modelIdentity: String = "in-memory word overlap") {
        self.entries = entries
        self.words = entries.map { Self.words(of: $0.record) }
        var indexByID: [TrackID: Int] = [:]
        for (index, entry) in entries.enumerated() {
            precondition(indexByID[entry.record.id] == nil, "duplicate track id \(entry.record.id)")
            indexByID[entry.record.id] = index
        }
        self.indexByID = indexByID
        self.model = modelIdentity
    }

    public func modelIdentity() async throws -> String { model }

    public func trackCount() async throws -> Int { entries.count }

    public func search(_ query: SearchQuery) async throws -> [TrackHit] {
        let queryWords = Self.words(in: query.text)
        let scores = words.map { Self.cosine(queryWords, $0) }
        let candidates = entries.indices.filter { Self.passes(entries[$0], query.filters) }
        return rank(candidates, scores: scores, k: query.k, diversity: query.diversity)
    }

    public func similar(to seeds: [TrackID], k: Int) async throws -> [TrackHit] {
        let seedIndices = seeds.compactMap { indexByID[$0] }
        guard !seedIndices.isEmpty else { return [] }
        let seedSet = Set(seedIndices)
        let scores = words.map { trackWords in
            seedIndices.map { Self.cosine(words[$0], trackWords) }.reduce(0, +) / Float(seedIndices.count)
        }
        let candidates = entries.indices.filter { !seedSet.contains($0) }
        return rank(candidates, scores: scores, k: k, diversity: .init())
    }

    public func track(id: TrackID) async throws -> TrackRecord? {
        indexByID[id].map { entries[$0].record }
    }

    public func audioFile(id: TrackID) async throws -> URL? {
        indexByID[id].flatMap { entries[$0].audioFile }
    }

    /// Best first, ties to the smaller id, skipping tracks over a diversity limit.
    private func rank(_ candidates: [Int], scores: [Float], k: Int, diversity: SearchDiversity) -> [TrackHit] {
        let ordered = candidates.sorted { left, right in
            scores[left] != scores[right] ? scores[left] > scores[right] : entries[left].record.id < entries[right].record.id
        }
        var perArtist: [String: Int] = [:]
        var perAlbum: [String: Int] = [:]
        var hits: [TrackHit] = []
        for index in ordered where hits.count < k {
            let record = entries[index].record
            if let limit = diversity.maximumPerArtist, let artist = record.artist?.lowercased() {
                guard perArtist[artist, default: 0] < limit else { continue }
            }
            if let limit = diversity.maximumPerAlbum, let album = record.album?.lowercased() {
                guard perAlbum[album, default: 0] < limit else { continue }
            }
            if let artist = record.artist?.lowercased() { perArtist[artist, default: 0] += 1 }
            if let album = record.album?.lowercased() { perAlbum[album, default: 0] += 1 }
            hits.append(TrackHit(track: record, score: scores[index]))
        }
        return hits
    }

    private static func passes(_ entry: Entry, _ filters: SearchFilters) -> Bool {
        let record = entry.record
        if let genre = filters.genre?.lowercased(), !record.genres.contains(where: { $0.lowercased() == genre }) {
            return false
        }
        if let artist = filters.artist?.lowercased(), record.artist?.lowercased() != artist { return false }
        if let minimum = filters.minimumDuration, record.duration < minimum { return false }
        if let maximum = filters.maximumDuration, record.duration > maximum { return false }
        if let prefix = filters.pathPrefix, !entry.path.hasPrefix(prefix) { return false }
        return true
    }

    private static func cosine(_ left: Set<String>, _ right: Set<String>) -> Float {
        guard !left.isEmpty, !right.isEmpty else { return 0 }
        // Counting over the smaller set, without building the intersection (no allocation per track).
        let (small, large) = left.count <= right.count ? (left, right) : (right, left)
        var shared = 0
        for word in small where large.contains(word) { shared += 1 }
        return Float(shared) / Float(left.count * right.count).squareRoot()
    }

    private static func words(of record: TrackRecord) -> Set<String> {
        let fields = [record.title, record.artist ?? "", record.album ?? ""] + record.genres + record.tags
        return words(in: fields.joined(separator: " "))
    }

    /// Lower-cased runs of letters and digits.
    static func words(in text: String) -> Set<String> {
        Set(text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init))
    }
}
