import DuetCatalog
import Foundation
import PostgresNIO

/// The catalogue in a PostgreSQL database (chosen by `--db postgres://…`), with the same rules as
/// `SQLiteCatalog`: ids are kept when a path is re-indexed, a path is either a track or a failure,
/// a batch is one transaction. Many processes on many machines may share one database: the indexing
/// workers (`PostgresWorkQueue`) and the search replicas.
///
/// Calls are synchronous and block the calling thread (see `PostgresSession` for why that is safe).
public final class PostgresCatalog: Catalog {
    public let location: PostgresLocation
    let session: PostgresSession
    /// Tracks read per round trip by `forEachTrack`.
    static let pageSize = 1_000

    /// Connects to the database at `url` and brings its schema up to date.
    /// - Throws: `PostgresCatalogError` (bad URL, refused connection, wrong password, missing
    ///   database) or `CatalogError.newerSchema`.
    public convenience init(url: String) throws {
        try self.init(location: try PostgresLocation(url: url))
    }

    public init(location: PostgresLocation) throws {
        self.location = location
        session = try PostgresSession(location: location)
        try PostgresSchema.migrate(session)
    }

    /// The URL without its password.
    public var name: String { location.displayName }

    public func modelIdentity() throws -> ModelIdentity? {
        try session.withConnection { try storedIdentity($0) }
    }

    func storedIdentity(_ statements: PostgresStatements) throws -> ModelIdentity? {
        guard let row = try statements.run("SELECT value FROM settings WHERE key = 'model'").first else { return nil }
        do {
            return try JSONDecoder().decode(ModelIdentity.self, from: Data(try row.decode(String.self).utf8))
        } catch {
            throw CatalogError.malformedRow(path: name, table: "settings", reason: "model: \(error)")
        }
    }

    public func adopt(_ identity: ModelIdentity) throws -> Bool {
        let json = String(decoding: try JSONEncoder().encode(identity), as: UTF8.self)
        return try session.transaction { statements in
            // Serialises adopters, so that two processes never both see "no model" and disagree.
            try statements.run("SELECT pg_advisory_xact_lock(\(PostgresSchema.writeLock))")
            try statements.execute("LOCK TABLE settings IN SHARE ROW EXCLUSIVE MODE")
            var dropped = false
            if let stored = try storedIdentity(statements), !stored.matches(identity) {
                let count = try statements.run("SELECT (SELECT count(*) FROM tracks) + (SELECT count(*) FROM failures)")
                    .first?.decode(Int.self) ?? 0
                try statements.execute("DELETE FROM tracks")
                try statements.execute("DELETE FROM failures")
                dropped = count > 0
            }
            try statements.run("""
                INSERT INTO settings (key, value) VALUES ('model', \(json))
                ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
                """)
            return dropped
        }
    }

    public func commit(_ batch: CatalogBatch) throws {
        guard !batch.isEmpty else { return }
        try session.transaction { try Self.apply(batch, with: $0) }
    }

    /// The statements of `commit`, inside a transaction the caller holds (also used by the work queue,
    /// which completes its claims in the same transaction).
    static func apply(_ batch: CatalogBatch, with statements: PostgresStatements) throws {
        guard !batch.isEmpty else { return }
        // Change numbers must become visible in order (PostgresSchema, migration 3).
        try statements.run("SELECT pg_advisory_xact_lock(\(PostgresSchema.writeLock))")
        if !batch.removed.isEmpty {
            try statements.run("DELETE FROM tracks WHERE path = ANY(\(batch.removed))")
            try statements.run("DELETE FROM failures WHERE path = ANY(\(batch.removed))")
        }
        for track in batch.tracks {
            let vector = VectorBytes.encode(track.vector)
            try statements.run("DELETE FROM failures WHERE path = \(track.path)")
            try statements.run("""
                INSERT INTO tracks (path, size, modified, content_hash, duration, title, artist, album, genres, year, musicnn_tags, vector)
                VALUES (\(track.path), \(track.size), \(track.modified), \(track.contentHash), \(track.duration), \(track.title),
                        \(track.artist), \(track.album), \(track.genres), \(track.year), \(track.musicnnTags), \(vector))
                ON CONFLICT (path) DO UPDATE SET size = EXCLUDED.size, modified = EXCLUDED.modified,
                    content_hash = EXCLUDED.content_hash, duration = EXCLUDED.duration, title = EXCLUDED.title,
                    artist = EXCLUDED.artist, album = EXCLUDED.album, genres = EXCLUDED.genres, year = EXCLUDED.year,
                    musicnn_tags = EXCLUDED.musicnn_tags, vector = EXCLUDED.vector
                """)
        }
        for failure in batch.failures {
            try statements.run("DELETE FROM tracks WHERE path = \(failure.path)")
            try statements.run("""
                INSERT INTO failures (path, size, modified, kind, message)
                VALUES (\(failure.path), \(failure.size), \(failure.modified), \(failure.kind.rawValue), \(failure.message))
                ON CONFLICT (path) DO UPDATE SET size = EXCLUDED.size, modified = EXCLUDED.modified,
                    kind = EXCLUDED.kind, message = EXCLUDED.message
                """)
        }
        for state in batch.touched {
            try statements.run("UPDATE tracks SET size = \(state.size), modified = \(state.modified) WHERE path = \(state.path)")
        }
    }

    public func fileStates() throws -> [String: CatalogFileState] {
        try session.withConnection { statements in
            var states: [String: CatalogFileState] = [:]
            for row in try statements.run("SELECT path, size, modified, content_hash FROM tracks") {
                let (path, size, modified, hash) = try decode(row, as: (String, Int64, Double, String).self, table: "tracks")
                states[path] = CatalogFileState(path: path, size: size, modified: modified, contentHash: hash)
            }
            for row in try statements.run("SELECT path, size, modified FROM failures") {
                let (path, size, modified) = try decode(row, as: (String, Int64, Double).self, table: "failures")
                states[path] = CatalogFileState(path: path, size: size, modified: modified, contentHash: nil)
            }
            return states
        }
    }

    static let trackColumns = "id, path, size, modified, content_hash, duration, title, artist, album, genres, year, musicnn_tags, vector"

    public func track(id: Int64) throws -> CatalogTrack? {
        try session.withConnection { statements in
            try statements.run("SELECT \(unescaped: Self.trackColumns) FROM tracks WHERE id = \(id)").first.map { try track(from: $0) }
        }
    }

    public func track(path: String) throws -> CatalogTrack? {
        try session.withConnection { statements in
            try statements.run("SELECT \(unescaped: Self.trackColumns) FROM tracks WHERE path = \(path)").first.map { try track(from: $0) }
        }
    }

    public func trackCount() throws -> Int {
        try session.withConnection { try $0.run("SELECT count(*) FROM tracks").first?.decode(Int.self) ?? 0 }
    }

    /// Reads the tracks a page at a time (keyset pagination on the id), so memory holds one page.
    public func forEachTrack(_ body: (CatalogTrack) throws -> Void) throws {
        var after: Int64 = 0
        while true {
            let page = try session.withConnection { statements in
                try statements.run("""
                    SELECT \(unescaped: Self.trackColumns) FROM tracks WHERE id > \(after) ORDER BY id LIMIT \(Self.pageSize)
                    """).map { try track(from: $0) }
            }
            for track in page { try body(track) }
            guard let last = page.last, page.count == Self.pageSize else { return }
            after = last.id
        }
    }

    public func failures() throws -> [CatalogFailure] {
        try session.withConnection { statements in
            try statements.run("SELECT path, size, modified, kind, message FROM failures ORDER BY path").map { row in
                let (path, size, modified, kindName, message) = try decode(row, as: (String, Int64, Double, String, String).self, table: "failures")
                guard let kind = CatalogFailure.Kind(rawValue: kindName) else {
                    throw CatalogError.malformedRow(path: name, table: "failures", reason: "unknown kind '\(kindName)'")
                }
                return CatalogFailure(path: path, size: size, modified: modified, kind: kind, message: message)
            }
        }
    }

    func track(from row: PostgresRow) throws -> CatalogTrack {
        let (id, path, size, modified, hash, duration, title, artist, album, genres, year, tags, vector) = try decode(
            row, as: (Int64, String, Int64, Double, String, Double, String?, String?, String?, [String], Int?, [String], Data).self,
            table: "tracks")
        guard vector.count % 4 == 0 else {
            throw CatalogError.malformedRow(path: name, table: "tracks", reason: "vector of \(vector.count) bytes")
        }
        return CatalogTrack(
            id: id, path: path, size: size, modified: modified, contentHash: hash, duration: duration, title: title, artist: artist,
            album: album, genres: genres, year: year, musicnnTags: tags, vector: VectorBytes.decode(vector))
    }

    private func decode<each Column: PostgresDecodable>(
        _ row: PostgresRow, as type: (repeat each Column).Type, table: String
    ) throws -> (repeat each Column) {
        do {
            return try row.decode(type)
        } catch {
            throw CatalogError.malformedRow(path: name, table: table, reason: "\(error)")
        }
    }
}
