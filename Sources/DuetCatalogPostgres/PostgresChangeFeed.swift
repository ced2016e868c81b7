import DuetCatalog
import Foundation
import PostgresNIO

/// A PostgreSQL catalogue's changes for search replicas: `LISTEN duet_tracks` on a connection of its
/// own wakes `waitForChange`, and `changes(after:)` reads the tracks and removals numbered after a
/// version (PostgresSchema, migration 3). A lost listening connection is opened again on the next
/// wait; the caller's polling interval covers announcements missed meanwhile.
public final class PostgresChangeFeed: CatalogChangeFeed, @unchecked Sendable {
    public let catalog: PostgresCatalog
    private let listener: PostgresSession
    private let condition = NSCondition()
    private var announced = false
    private var listening: ObjectIdentifier?

    /// Opens the listening connection.
    /// - Throws: the connection's `PostgresCatalogError`.
    public init(catalog: PostgresCatalog) throws {
        self.catalog = catalog
        listener = try PostgresSession(location: catalog.location)
        try listen()
    }

    /// Subscribes the listening connection, once per connection (reconnecting when it broke).
    private func listen() throws {
        try listener.withConnection { statements in
            let current = ObjectIdentifier(statements.connection)
            guard listening != current else { return }
            statements.connection.addListener(channel: PostgresSchema.changeChannel) { [weak self] _, _ in self?.announce() }
            try statements.execute("LISTEN \(PostgresSchema.changeChannel)")
            listening = current
            announce()  // changes may have been missed while not listening
        }
    }

    private func announce() {
        condition.lock()
        announced = true
        condition.broadcast()
        condition.unlock()
    }

    public func currentVersion() throws -> Int64 {
        try catalog.session.withConnection { statements in
            try statements.run("""
                SELECT greatest((SELECT coalesce(max(change), 0) FROM tracks), (SELECT coalesce(max(change), 0) FROM removed_tracks))
                """).first?.decode(Int64.self) ?? 0
        }
    }

    public func changes(after version: Int64) throws -> CatalogChanges {
        try catalog.session.transaction { statements in
            // One snapshot for both reads.
            try statements.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            var newest = version
            var tracks: [CatalogTrack] = []
            for row in try statements.run("""
                SELECT \(unescaped: PostgresCatalog.trackColumns), change FROM tracks WHERE change > \(version) ORDER BY change
                """) {
                tracks.append(try catalog.track(from: row))
                newest = max(newest, try row.makeRandomAccess()[13].decode(Int64.self))
            }
            var removed: [Int64] = []
            for row in try statements.run("SELECT id, change FROM removed_tracks WHERE change > \(version)") {
                let (id, change) = try row.decode((Int64, Int64).self)
                removed.append(id)
                newest = max(newest, change)
            }
            // A track removed and then indexed again under the same id is a track.
            let present = Set(tracks.map(\.id))
            return CatalogChanges(tracks: tracks, removed: removed.filter { !present.contains($0) }, version: newest)
        }
    }

    public func waitForChange(timeout: Double) {
        try? listen()
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(timeout)
        while !announced && condition.wait(until: deadline) {}
        announced = false
    }
}
