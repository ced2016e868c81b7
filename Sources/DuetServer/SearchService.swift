import Foundation

/// A track's identifier in the catalogue (the SQLite row id). The server only ever reads audio for an id
/// the service resolves, never for a path taken from a request.
public typealias TrackID = Int64

/// What the server needs from a searchable music catalogue. The real implementation adapts the SQLite
/// catalogue and the vector store; ``InMemorySearchService`` is a small one for tests and the load test.
///
/// Every method may throw; the server answers a thrown error with a 500 JSON error and logs it, except
/// ``SearchServiceError`` values, which carry their own status.
public protocol SearchService: Sendable {
    /// Identifies the model whose embeddings the catalogue holds (shown on the page and in `/api/info`).
    func modelIdentity() async throws -> String
    /// The number of searchable tracks.
    func trackCount() async throws -> Int
    /// The best `query.k` tracks for a free-text query, best first, after filters and diversity limits.
    func search(_ query: SearchQuery) async throws -> [TrackHit]
    /// The best `k` tracks for the mean of the seeds' embeddings, best first, the seeds themselves excluded.
    /// Every seed is an id ``track(id:)`` resolves (the server checks before calling).
    func similar(to seeds: [TrackID], k: Int) async throws -> [TrackHit]
    /// The display record of one track, or nil when the id is not in the catalogue.
    func track(id: TrackID) async throws -> TrackRecord?
    /// The audio file of one track on disk, or nil when the id is not in the catalogue.
    func audioFile(id: TrackID) async throws -> URL?
}

/// An error a service raises on purpose, with the HTTP status the server should answer with
/// (for example 503 while the catalogue is being rebuilt).
public struct SearchServiceError: LocalizedError, Sendable, Equatable {
    public var status: Int
    public var message: String

    public init(status: Int, message: String) {
        self.status = status
        self.message = message
    }

    public var errorDescription: String? { message }
}
