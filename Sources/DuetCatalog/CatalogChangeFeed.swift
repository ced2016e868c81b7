/// What changed in a catalogue since a version: tracks added or re-indexed (with their vectors) and
/// ids removed, and the version they bring a reader to.
public struct CatalogChanges: Sendable, Equatable {
    public var tracks: [CatalogTrack]
    public var removed: [Int64]
    public var version: Int64

    public init(tracks: [CatalogTrack] = [], removed: [Int64] = [], version: Int64) {
        self.tracks = tracks
        self.removed = removed
        self.version = version
    }

    public var isEmpty: Bool { tracks.isEmpty && removed.isEmpty }
}

/// A catalogue that tells readers what changed, for a search replica that keeps its in-memory copy
/// current without a restart (PostgreSQL's `LISTEN/NOTIFY` in `PostgresChangeFeed`).
public protocol CatalogChangeFeed: AnyObject, Sendable {
    /// The version a reader that loads the catalogue now is at (read it before loading: changes
    /// after it are then applied once more at worst, which is harmless).
    func currentVersion() throws -> Int64

    /// Everything that changed after `version`.
    func changes(after version: Int64) throws -> CatalogChanges

    /// Blocks until the catalogue announces a change or `timeout` seconds pass.
    func waitForChange(timeout: Double)
}
