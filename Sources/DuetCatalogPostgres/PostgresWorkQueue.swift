import DuetCatalog
import Foundation
import PostgresNIO

/// The work queue in the catalogue's database (table `work_items`, migration 2). Claims use
/// `SELECT … FOR UPDATE SKIP LOCKED`, so concurrent workers never wait for each other nor take the
/// same file; a lease is `claimed_until`, renewed by the worker's heartbeat.
public final class PostgresWorkQueue: WorkQueue {
    public let catalog: PostgresCatalog

    /// The queue of `catalog`'s database (sharing its connection).
    public init(catalog: PostgresCatalog) {
        self.catalog = catalog
    }

    public func enqueue(_ files: [QueuedFile]) throws {
        guard !files.isEmpty else { return }
        try catalog.session.transaction { statements in
            for chunk in stride(from: 0, to: files.count, by: 1_000) {
                let part = files[chunk..<min(chunk + 1_000, files.count)]
                try statements.run("""
                    INSERT INTO work_items (path, size, modified)
                    SELECT * FROM unnest(\(part.map(\.path)), \(part.map(\.size)), \(part.map(\.modified)))
                    ON CONFLICT (path) DO UPDATE SET size = EXCLUDED.size, modified = EXCLUDED.modified
                    """)
            }
        }
    }

    public func claim(worker: String, limit: Int, lease seconds: Double) throws -> [QueuedFile] {
        try catalog.session.withConnection { statements in
            try statements.run("""
                UPDATE work_items SET claimed_by = \(worker), claimed_until = now() + make_interval(secs => \(seconds)),
                    attempts = attempts + 1
                WHERE path IN (
                    SELECT path FROM work_items WHERE claimed_until IS NULL OR claimed_until < now()
                    ORDER BY path LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING path, size, modified, attempts
                """).map { row in
                let (path, size, modified, attempts) = try row.decode((String, Int64, Double, Int).self)
                return QueuedFile(path: path, size: size, modified: modified, attempts: attempts)
            }.sorted { $0.path < $1.path }
        }
    }

    public func renew(worker: String, paths: [String], lease seconds: Double) throws {
        guard !paths.isEmpty else { return }
        _ = try catalog.session.withConnection { statements in
            try statements.run("""
                UPDATE work_items SET claimed_until = now() + make_interval(secs => \(seconds))
                WHERE claimed_by = \(worker) AND path = ANY(\(paths))
                """)
        }
    }

    public func complete(worker: String, paths: [String], batch: CatalogBatch, model: ModelIdentity) throws -> [String] {
        try catalog.session.transaction { statements in
            // Under the write lock `adopt` takes too: the model cannot change before this commits.
            try statements.run("SELECT pg_advisory_xact_lock(\(PostgresSchema.writeLock))")
            if let stored = try catalog.storedIdentity(statements), !stored.matches(model) {
                throw CatalogError.modelChanged(path: catalog.name, catalogue: stored.description, results: model.description)
            }
            let held = try statements.run("""
                DELETE FROM work_items WHERE claimed_by = \(worker) AND path = ANY(\(paths)) RETURNING path
                """).map { try $0.decode(String.self) }
            try PostgresCatalog.apply(batch.restricted(to: Set(held)), with: statements)
            return held.sorted()
        }
    }

    public func pendingCount() throws -> Int {
        try catalog.session.withConnection { try $0.run("SELECT count(*) FROM work_items").first?.decode(Int.self) ?? 0 }
    }

    public func isTransient(_ error: any Error) -> Bool {
        (error as? PostgresCatalogError)?.isConnectionProblem ?? false
    }
}
