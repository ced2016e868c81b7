import Foundation

/// A catalogue held in memory, with the same rules as `SQLiteCatalog`: ids are assigned in
/// insertion order and kept when a path is re-indexed; a path is either a track or a failure.
public final class InMemoryCatalog: Catalog, @unchecked Sendable {
    private let lock = NSLock()
    private var identity: ModelIdentity?
    private var tracks: [Int64: CatalogTrack] = [:]
    private var idsByPath: [String: Int64] = [:]
    private var failuresByPath: [String: CatalogFailure] = [:]
    private var nextID: Int64 = 1

    public init() {}

    public func modelIdentity() throws -> ModelIdentity? { lock.withLock { identity } }

    public func adopt(_ identity: ModelIdentity) throws -> Bool {
        lock.withLock {
            defer { self.identity = identity }
            guard let stored = self.identity, !stored.matches(identity) else { return false }
            let dropped = !tracks.isEmpty || !failuresByPath.isEmpty
            tracks = [:]
            idsByPath = [:]
            failuresByPath = [:]
            return dropped
        }
    }

    public func commit(_ batch: CatalogBatch) throws {
        lock.withLock {
            for path in batch.removed {
                if let id = idsByPath.removeValue(forKey: path) { tracks[id] = nil }
                failuresByPath[path] = nil
            }
            for var track in batch.tracks {
                failuresByPath[track.path] = nil
                if let id = idsByPath[track.path] {
                    track.id = id
                } else {
                    track.id = nextID
                    nextID += 1
                    idsByPath[track.path] = track.id
                }
                tracks[track.id] = track
            }
            for failure in batch.failures {
                if let id = idsByPath.removeValue(forKey: failure.path) { tracks[id] = nil }
                failuresByPath[failure.path] = failure
            }
            for state in batch.touched {
                guard let id = idsByPath[state.path] else { continue }
                tracks[id]?.size = state.size
                tracks[id]?.modified = state.modified
            }
        }
    }

    public func fileStates() throws -> [String: CatalogFileState] {
        lock.withLock {
            var states: [String: CatalogFileState] = [:]
            for track in tracks.values {
                states[track.path] = CatalogFileState(path: track.path, size: track.size, modified: track.modified, contentHash: track.contentHash)
            }
            for failure in failuresByPath.values {
                states[failure.path] = CatalogFileState(path: failure.path, size: failure.size, modified: failure.modified, contentHash: nil)
            }
            return states
        }
    }

    public func track(id: Int64) throws -> CatalogTrack? { lock.withLock { tracks[id] } }

    public func track(path: String) throws -> CatalogTrack? {
        lock.withLock { idsByPath[path].flatMap { tracks[$0] } }
    }

    public func trackCount() throws -> Int { lock.withLock { tracks.count } }

    public func forEachTrack(_ body: (CatalogTrack) throws -> Void) throws {
        let snapshot = lock.withLock { tracks.values.sorted { $0.id < $1.id } }
        for track in snapshot { try body(track) }
    }

    public func failures() throws -> [CatalogFailure] {
        lock.withLock { failuresByPath.values.sorted { $0.path < $1.path } }
    }
}
