import DuetCatalog
import DuetSearch
import Foundation

/// The server's view of a real music library: `DuetSearch.LibrarySearch` (the catalogue's vectors in
/// memory, the trained model for queries) behind ``SearchService``. Queries are embedded by one
/// ``QueryEmbedder`` (a first-in, first-out queue batched on one worker thread, with a cache), so that
/// concurrent requests share the text encoder instead of fighting over the cores. Search errors a user
/// caused (an empty query, an unknown track) become 4xx answers, a full queue 503; the rest are the
/// server's 500.
public struct LibrarySearchService: SearchService {
    public let library: LibrarySearch
    public let queries: QueryEmbedder

    public init(library: LibrarySearch, queryLimits: QueryEmbedder.Limits = QueryEmbedder.Limits()) {
        self.library = library
        let model = library.model
        queries = QueryEmbedder(limits: queryLimits) { try model.embedTexts($0) }
    }

    public func modelIdentity() async throws -> String { library.model.identity.description }

    public func trackCount() async throws -> Int { library.trackCount }

    public func search(_ query: SearchQuery) async throws -> [TrackHit] {
        let options = SearchOptions(
            count: query.k,
            filter: SearchFilter(
                genre: query.filters.genre, artist: query.filters.artist, minimumDuration: query.filters.minimumDuration,
                maximumDuration: query.filters.maximumDuration, pathPrefix: query.filters.pathPrefix),
            diversity: Diversity(maxPerArtist: query.diversity.maximumPerArtist, maxPerAlbum: query.diversity.maximumPerAlbum))
        return try await answer {
            try options.validate()
            return try library.search(embedding: try await queries.embed(query.text), options: options)
        }
    }

    public func similar(to seeds: [TrackID], k: Int) async throws -> [TrackHit] {
        try await answer { try library.similar(to: seeds.map { .track(id: $0) }, options: SearchOptions(count: k)) }
    }

    public func track(id: TrackID) async throws -> TrackRecord? { library.track(id: id).map(Self.record) }

    public func audioFile(id: TrackID) async throws -> URL? {
        library.track(id: id).map { URL(fileURLWithPath: $0.path) }
    }

    /// A catalogue row as the page shows it: no path, the title falling back to the file name.
    static func record(_ track: CatalogTrack) -> TrackRecord {
        TrackRecord(
            id: track.id, title: track.displayTitle, artist: track.artist, album: track.album, genres: track.genres,
            year: track.year, duration: track.duration, tags: track.musicnnTags)
    }

    private func answer(_ body: () async throws -> [SearchHit]) async throws -> [TrackHit] {
        do {
            return try await body().map { TrackHit(track: Self.record($0.track), score: $0.score) }
        } catch let error as SearchError {
            switch error {
            case .emptyQuery, .noSeeds, .outOfRange: throw SearchServiceError(status: 400, message: error.localizedDescription)
            case .unknownTrack: throw SearchServiceError(status: 404, message: error.localizedDescription)
            case .busy: throw SearchServiceError(status: 503, message: error.localizedDescription)
            default: throw error
            }
        }
    }
}
