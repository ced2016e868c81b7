/// What the catalogue knows of one path, enough to decide whether the file must be (re-)indexed.
public struct CatalogFileState: Sendable, Equatable {
    public var path: String
    public var size: Int64
    public var modified: Double
    /// The content hash of an indexed track; nil for a recorded failure.
    public var contentHash: String?
    /// Whether the path is a recorded failure rather than a track.
    public var isFailure: Bool { contentHash == nil }

    public init(path: String, size: Int64, modified: Double, contentHash: String?) {
        self.path = path
        self.size = size
        self.modified = modified
        self.contentHash = contentHash
    }
}

/// One atomic change to a catalogue: everything in it is applied in one transaction, or nothing
/// is (the unit of crash safety: a `kill -9` between two commits loses at most the work of the
/// uncommitted batch, never leaves half of it).
public struct CatalogBatch: Sendable {
    /// Inserted, or replacing the track or failure at the same path (a track keeps its id).
    public var tracks: [CatalogTrack] = []
    /// Recorded, replacing any track at the same path.
    public var failures: [CatalogFailure] = []
    /// Tracks whose size or modification time changed but whose content did not.
    public var touched: [CatalogFileState] = []
    /// Paths to drop (tracks and failures).
    public var removed: [String] = []

    public init(tracks: [CatalogTrack] = [], failures: [CatalogFailure] = [], touched: [CatalogFileState] = [], removed: [String] = []) {
        self.tracks = tracks
        self.failures = failures
        self.touched = touched
        self.removed = removed
    }

    public var isEmpty: Bool { tracks.isEmpty && failures.isEmpty && touched.isEmpty && removed.isEmpty }
}

/// A library catalogue: indexed tracks with their vectors, files that failed with the reason, and
/// the identity of the model that made the vectors. Implementations are safe to share between
/// threads; `SQLiteCatalog` is the real one, `InMemoryCatalog` the one for fast tests.
public protocol Catalog: AnyObject, Sendable {
    /// The model the stored vectors come from; nil for an empty, new catalogue.
    func modelIdentity() throws -> ModelIdentity?

    /// Makes `identity` the catalogue's model. When a different model is stored, every track and
    /// failure is dropped in the same transaction (their vectors or verdicts belong to the old model).
    /// - Returns: whether anything was dropped.
    @discardableResult
    func adopt(_ identity: ModelIdentity) throws -> Bool

    /// Applies `batch` atomically.
    func commit(_ batch: CatalogBatch) throws

    /// Every indexed or failed path with its size, modification time and hash.
    func fileStates() throws -> [String: CatalogFileState]

    func track(id: Int64) throws -> CatalogTrack?
    func track(path: String) throws -> CatalogTrack?
    func trackCount() throws -> Int

    /// Visits every track in id order without holding them all in memory.
    func forEachTrack(_ body: (CatalogTrack) throws -> Void) throws

    /// Every recorded failure, by path.
    func failures() throws -> [CatalogFailure]
}
