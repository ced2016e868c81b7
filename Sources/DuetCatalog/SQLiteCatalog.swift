import Foundation
import GRDB

/// The catalogue in one SQLite file through GRDB, in WAL mode (readers never block the indexer's
/// writes, and a killed writer leaves the last committed transaction intact).
///
/// Schema (migration `v1`, see Docs/search.md):
/// - `settings(key TEXT PRIMARY KEY, value TEXT)`: `model` holds the model identity as JSON;
/// - `tracks(id INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT UNIQUE, size, modified, contentHash,
///   duration, title, artist, album, genres JSON, year, musicnnTags JSON, vector BLOB)`: the vector
///   is the little-endian float32 array;
/// - `failures(path TEXT PRIMARY KEY, size, modified, kind, message)`.
public final class SQLiteCatalog: Catalog {
    public let path: String
    private let pool: DatabasePool

    /// Opens (creating when needed) the catalogue at `path` and brings its schema up to date.
    /// - Throws: `CatalogError.cannotOpen`, or `.newerSchema` for a file written by a newer Duet.
    public init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw CatalogError.cannotOpen(path: path, reason: "\(error)")
        }
        let migrator = Self.migrator
        do {
            if try pool.read({ try migrator.hasBeenSuperseded($0) }) {
                let applied = try pool.read { try migrator.appliedIdentifiers($0) }
                let unknown = applied.subtracting(Set(migrator.migrations)).sorted().first ?? "?"
                throw CatalogError.newerSchema(path: path, migration: unknown)
            }
            try migrator.migrate(pool)
        } catch let error as CatalogError {
            throw error
        } catch {
            throw CatalogError.cannotOpen(path: path, reason: "\(error)")
        }
    }

    /// Versioned migrations; a new schema version is a new registered migration, never an edit.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE settings (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                CREATE TABLE tracks (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    path TEXT NOT NULL UNIQUE,
                    size INTEGER NOT NULL,
                    modified REAL NOT NULL,
                    contentHash TEXT NOT NULL,
                    duration REAL NOT NULL,
                    title TEXT, artist TEXT, album TEXT,
                    genres TEXT NOT NULL DEFAULT '[]',
                    year INTEGER,
                    musicnnTags TEXT NOT NULL DEFAULT '[]',
                    vector BLOB NOT NULL);
                CREATE TABLE failures (
                    path TEXT PRIMARY KEY NOT NULL,
                    size INTEGER NOT NULL,
                    modified REAL NOT NULL,
                    kind TEXT NOT NULL,
                    message TEXT NOT NULL);
                """)
        }
        return migrator
    }

    public func modelIdentity() throws -> ModelIdentity? {
        try pool.read { db in try Self.storedIdentity(db, path: path) }
    }

    private static func storedIdentity(_ db: Database, path: String) throws -> ModelIdentity? {
        guard let json = try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'model'") else { return nil }
        do {
            return try JSONDecoder().decode(ModelIdentity.self, from: Data(json.utf8))
        } catch {
            throw CatalogError.malformedRow(path: path, table: "settings", reason: "model: \(error)")
        }
    }

    public func adopt(_ identity: ModelIdentity) throws -> Bool {
        let json = String(decoding: try JSONEncoder().encode(identity), as: UTF8.self)
        return try pool.write { db in
            var dropped = false
            if let stored = try Self.storedIdentity(db, path: path), !stored.matches(identity) {
                let count = try Int.fetchOne(db, sql: "SELECT (SELECT COUNT(*) FROM tracks) + (SELECT COUNT(*) FROM failures)") ?? 0
                try db.execute(sql: "DELETE FROM tracks; DELETE FROM failures;")
                dropped = count > 0
            }
            try db.execute(sql: "INSERT INTO settings (key, value) VALUES ('model', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [json])
            return dropped
        }
    }

    public func commit(_ batch: CatalogBatch) throws {
        guard !batch.isEmpty else { return }
        let encoder = JSONEncoder()
        let encodedTracks = try batch.tracks.map { track in
            (track, String(decoding: try encoder.encode(track.genres), as: UTF8.self),
             String(decoding: try encoder.encode(track.musicnnTags), as: UTF8.self), VectorBytes.encode(track.vector))
        }
        try pool.write { db in
            for path in batch.removed {
                try db.execute(sql: "DELETE FROM tracks WHERE path = ?", arguments: [path])
                try db.execute(sql: "DELETE FROM failures WHERE path = ?", arguments: [path])
            }
            for (track, genres, tags, vector) in encodedTracks {
                try db.execute(sql: "DELETE FROM failures WHERE path = ?", arguments: [track.path])
                try db.execute(
                    sql: """
                        INSERT INTO tracks (path, size, modified, contentHash, duration, title, artist, album, genres, year, musicnnTags, vector)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT(path) DO UPDATE SET size = excluded.size, modified = excluded.modified,
                            contentHash = excluded.contentHash, duration = excluded.duration, title = excluded.title,
                            artist = excluded.artist, album = excluded.album, genres = excluded.genres, year = excluded.year,
                            musicnnTags = excluded.musicnnTags, vector = excluded.vector
                        """,
                    arguments: [track.path, track.size, track.modified, track.contentHash, track.duration, track.title,
                                track.artist, track.album, genres, track.year, tags, vector])
            }
            for failure in batch.failures {
                try db.execute(sql: "DELETE FROM tracks WHERE path = ?", arguments: [failure.path])
                try db.execute(
                    sql: """
                        INSERT INTO failures (path, size, modified, kind, message) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT(path) DO UPDATE SET size = excluded.size, modified = excluded.modified,
                            kind = excluded.kind, message = excluded.message
                        """,
                    arguments: [failure.path, failure.size, failure.modified, failure.kind.rawValue, failure.message])
            }
            for state in batch.touched {
                try db.execute(sql: "UPDATE tracks SET size = ?, modified = ? WHERE path = ?",
                               arguments: [state.size, state.modified, state.path])
            }
        }
    }

    public func fileStates() throws -> [String: CatalogFileState] {
        try pool.read { db in
            var states: [String: CatalogFileState] = [:]
            let tracks = try Row.fetchCursor(db, sql: "SELECT path, size, modified, contentHash FROM tracks")
            while let row = try tracks.next() {
                let state = CatalogFileState(path: row["path"], size: row["size"], modified: row["modified"], contentHash: row["contentHash"] as String)
                states[state.path] = state
            }
            let failures = try Row.fetchCursor(db, sql: "SELECT path, size, modified FROM failures")
            while let row = try failures.next() {
                let state = CatalogFileState(path: row["path"], size: row["size"], modified: row["modified"], contentHash: nil)
                states[state.path] = state
            }
            return states
        }
    }

    public func track(id: Int64) throws -> CatalogTrack? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM tracks WHERE id = ?", arguments: [id]).map { try track(from: $0) }
        }
    }

    public func track(path: String) throws -> CatalogTrack? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM tracks WHERE path = ?", arguments: [path]).map { try track(from: $0) }
        }
    }

    public func trackCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tracks") ?? 0 }
    }

    public func forEachTrack(_ body: (CatalogTrack) throws -> Void) throws {
        try pool.read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM tracks ORDER BY id")
            while let row = try rows.next() { try body(try track(from: row)) }
        }
    }

    public func failures() throws -> [CatalogFailure] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM failures ORDER BY path").map { row in
                let kindName: String = row["kind"]
                guard let kind = CatalogFailure.Kind(rawValue: kindName) else {
                    throw CatalogError.malformedRow(path: path, table: "failures", reason: "unknown kind '\(kindName)'")
                }
                return CatalogFailure(path: row["path"], size: row["size"], modified: row["modified"], kind: kind, message: row["message"])
            }
        }
    }

    private func track(from row: Row) throws -> CatalogTrack {
        let decoder = JSONDecoder()
        let genres: String = row["genres"]
        let tags: String = row["musicnnTags"]
        let blob: Data = row["vector"]
        guard blob.count % MemoryLayout<Float>.size == 0 else {
            throw CatalogError.malformedRow(path: path, table: "tracks", reason: "vector of \(blob.count) bytes")
        }
        do {
            return CatalogTrack(
                id: row["id"], path: row["path"], size: row["size"], modified: row["modified"], contentHash: row["contentHash"],
                duration: row["duration"], title: row["title"], artist: row["artist"], album: row["album"],
                genres: try decoder.decode([String].self, from: Data(genres.utf8)), year: row["year"],
                musicnnTags: try decoder.decode([String].self, from: Data(tags.utf8)), vector: VectorBytes.decode(blob))
        } catch {
            throw CatalogError.malformedRow(path: path, table: "tracks", reason: "\(error)")
        }
    }
}
