import DuetCatalog
import Foundation

/// What a worker did before the queue ran dry.
public struct WorkerReport: Sendable, Equatable {
    public var embedded = 0
    public var touched = 0
    public var failed = 0
    /// Files whose lease ran out while this worker held them and that another worker took over:
    /// their results were dropped, the other worker's are kept.
    public var lost = 0
    public var batches = 0
    /// Statements retried after a lost connection.
    public var reconnections = 0
    public var seconds: Double = 0

    public init() {}
}

/// One indexing worker (library code behind `duet worker`): claims batches of queued files, embeds
/// them with `LibraryIndexer.process` (the same code as `duet index`), renews its leases while it
/// works, and stores each batch in one transaction with the batch's removal from the queue.
///
/// Failure cases (Docs/scale-out.md): a worker killed mid-batch loses only its uncommitted batch,
/// whose leases run out and are claimed again; a file claimed `maximumAttempts` times without a
/// result (a worker died on it each time) is recorded as a failure rather than retried forever; a
/// lost connection is retried with back-off for `reconnectionTimeout` seconds.
public struct IndexWorker {
    public let model: SearchModel
    public let catalog: any Catalog
    public let queue: any WorkQueue
    /// The name leases are held under (unique per process).
    public var name: String
    public var roots = RootMapping()
    public var batchSize = 8
    /// Seconds a claim lasts without a heartbeat; the heartbeat renews it every third of that.
    public var lease: Double = 60
    public var maximumAttempts = 3
    /// Keep polling when the queue is empty instead of returning.
    public var waitsForWork = false
    public var pollInterval: Double = 1
    public var reconnectionTimeout: Double = 300
    /// Progress lines (one per batch).
    public var log: @Sendable (String) -> Void = { _ in }

    public init(model: SearchModel, catalog: any Catalog, queue: any WorkQueue, name: String) {
        self.model = model
        self.catalog = catalog
        self.queue = queue
        self.name = name
    }

    /// A name unique to this process: host, process id and a random suffix.
    public static func defaultName() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Works until the queue is empty (or forever with `waitsForWork`).
    /// - Throws: `SearchError.emptyCatalogue` when nothing was enqueued under a model,
    ///   `.modelMismatch`, or a catalogue error that retrying did not cure.
    public func run() throws -> WorkerReport {
        let started = Date()
        var report = WorkerReport()
        guard let identity = try retrying(&report, { try catalog.modelIdentity() }) else {
            throw SearchError.emptyCatalogue(path: "given to the worker")
        }
        guard identity.matches(model.identity) else {
            throw SearchError.modelMismatch(catalogue: identity.description, model: model.identity.description)
        }
        try model.loadEncoders()
        let indexer = LibraryIndexer(model: model, catalog: catalog)
        while true {
            let files = try retrying(&report) { try queue.claim(worker: name, limit: batchSize, lease: lease) }
            if files.isEmpty {
                if !waitsForWork, try retrying(&report, { try queue.pendingCount() }) == 0 { break }
                // Other workers hold the rest; wait for them to finish, or for their leases to run out.
                Thread.sleep(forTimeInterval: pollInterval)
                continue
            }
            let heartbeat = Heartbeat.start(queue: queue, worker: name, paths: files.map(\.path), lease: lease)
            var batch = CatalogBatch()
            for file in files { add(outcome(of: file, indexer: indexer), for: file, to: &batch) }
            heartbeat.stop()
            let stored = Set(try retrying(&report) { try queue.complete(worker: name, paths: files.map(\.path), batch: batch, model: model.identity) })
            let kept = batch.restricted(to: stored)
            report.embedded += kept.tracks.count
            report.touched += kept.touched.count
            report.failed += kept.failures.count
            report.lost += files.count - stored.count
            report.batches += 1
            log("\(name): stored \(stored.count) of \(files.count) files (\(kept.tracks.count) embedded, \(kept.failures.count) failed)")
        }
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    /// Embeds one queued file read through the root mapping.
    func outcome(of file: QueuedFile, indexer: LibraryIndexer) -> LibraryIndexer.Outcome {
        if file.attempts > maximumAttempts {
            return .failure(CatalogFailure(
                path: file.path, size: file.size, modified: file.modified, kind: .unreadable,
                message: "\(file.path): abandoned after \(file.attempts - 1) claims; a worker stopped (crashed or was killed) each time while indexing it"))
        }
        let local = roots.local(file.path)
        guard let status = LibraryWalker.status(of: local), status.isRegular else {
            let mapped = local == file.path ? "" : " (read as \(local); check --root)"
            return .failure(CatalogFailure(
                path: file.path, size: file.size, modified: file.modified, kind: .unreadable,
                message: "\(file.path): no such file on the worker \(name)\(mapped)"))
        }
        let previous = (try? catalog.track(path: file.path)).flatMap { $0 }.map {
            CatalogFileState(path: $0.path, size: $0.size, modified: $0.modified, contentHash: $0.contentHash)
        }
        return indexer.process(LibraryFile(path: local, size: status.size, modified: status.modified), previous: previous)
    }

    /// Files the outcome under the catalogue's path (the worker read it under its local path).
    private func add(_ outcome: LibraryIndexer.Outcome, for file: QueuedFile, to batch: inout CatalogBatch) {
        switch outcome {
        case .track(var track):
            track.path = file.path
            batch.tracks.append(track)
        case .touched(var state):
            state.path = file.path
            batch.touched.append(state)
        case .failure(var failure):
            failure.path = file.path
            batch.failures.append(failure)
        }
    }

    /// Runs `body`, retrying lost or refused connections with back-off (0.25 s doubling to 5 s) for
    /// up to `reconnectionTimeout` seconds.
    private func retrying<T>(_ report: inout WorkerReport, _ body: () throws -> T) throws -> T {
        let deadline = Date().addingTimeInterval(reconnectionTimeout)
        var delay = 0.25
        while true {
            do {
                return try body()
            } catch let error where queue.isTransient(error) && Date() < deadline {
                report.reconnections += 1
                log("\(name): \(error.localizedDescription); retrying in \(delay) s")
                Thread.sleep(forTimeInterval: delay)
                delay = min(delay * 2, 5)
            }
        }
    }
}

/// Renews a worker's leases every third of the lease on a thread of its own while a batch is
/// embedded; a failed renewal is tried again at the next beat (the lease has two more thirds).
final class Heartbeat: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopped = false

    /// Starts beating at once; call `stop()` when the batch is done.
    static func start(queue: any WorkQueue, worker: String, paths: [String], lease: Double) -> Heartbeat {
        let heartbeat = Heartbeat()
        Thread {
            while !heartbeat.wait(seconds: lease / 3) {
                try? queue.renew(worker: worker, paths: paths, lease: lease)
            }
        }.start()
        return heartbeat
    }

    /// Waits up to `seconds`; true when stopped.
    private func wait(seconds: Double) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let until = Date().addingTimeInterval(seconds)
        while !stopped && condition.wait(until: until) {}
        return stopped
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}
