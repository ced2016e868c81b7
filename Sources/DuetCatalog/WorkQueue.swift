/// A file waiting in a `WorkQueue`: its path as the enqueuing machine sees it, and the size and
/// modification time it had then.
public struct QueuedFile: Sendable, Equatable {
    public var path: String
    public var size: Int64
    public var modified: Double
    /// How many times a worker has claimed it (1 on the first claim).
    public var attempts: Int

    public init(path: String, size: Int64, modified: Double, attempts: Int = 0) {
        self.path = path
        self.size = size
        self.modified = modified
        self.attempts = attempts
    }
}

/// The files that indexing workers share out (`duet index --enqueue` fills it, `duet worker`
/// empties it). A claim is a lease: the worker renews it while it works, and when the worker dies
/// the lease runs out and another worker claims the files again. Completing a batch stores its
/// results and removes its files in one transaction, and only for files the worker still holds,
/// so a file is stored once however many workers died on it.
public protocol WorkQueue: AnyObject, Sendable {
    /// Adds files, or updates the size and time of files already waiting (their claims are kept).
    func enqueue(_ files: [QueuedFile]) throws

    /// Claims up to `limit` unclaimed files (or files whose lease ran out) for `seconds`, skipping
    /// files other workers are claiming at the same moment.
    func claim(worker: String, limit: Int, lease seconds: Double) throws -> [QueuedFile]

    /// Extends the worker's leases on `paths` (the heartbeat).
    func renew(worker: String, paths: [String], lease seconds: Double) throws

    /// In one transaction: removes from the queue those of `paths` the worker still holds, and
    /// applies the part of `batch` about them, provided the catalogue's model still matches `model`.
    /// - Returns: the paths stored (the rest had been claimed by another worker meanwhile).
    /// - Throws: `CatalogError.modelChanged` (nothing stored) when the catalogue adopted another model.
    @discardableResult
    func complete(worker: String, paths: [String], batch: CatalogBatch, model: ModelIdentity) throws -> [String]

    /// Files waiting, claimed or not.
    func pendingCount() throws -> Int

    /// Whether `error` is a lost or refused connection, after which retrying may succeed.
    func isTransient(_ error: any Error) -> Bool
}

extension CatalogBatch {
    /// The part of the batch about `paths`.
    public func restricted(to paths: Set<String>) -> CatalogBatch {
        CatalogBatch(
            tracks: tracks.filter { paths.contains($0.path) }, failures: failures.filter { paths.contains($0.path) },
            touched: touched.filter { paths.contains($0.path) }, removed: removed.filter { paths.contains($0) })
    }
}
