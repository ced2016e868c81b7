import ArgumentParser
import DuetCatalog
import DuetCatalogPostgres
import DuetPipeline
import DuetSearch
import Foundation

/// What the library commands share about `--db`: an SQLite file or a `postgres://` URL, opened by
/// `CatalogDatabase` (the one factory), defaulting to `DUET_DATABASE_URL` or `library.sqlite`.
enum DatabaseArgument {
    static let help = ArgumentHelp(
        "The catalogue: an SQLite file or a postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE URL.",
        discussion: "Default: $\(CatalogDatabase.environmentVariable) when set, else \(CatalogDatabase.defaultPath).")

    static var defaultValue: String { CatalogDatabase.defaultLocation() }

    /// Fails validation when `db` is a file that does not exist (a server is checked on connection).
    static func requireExisting(_ db: String, hint: String) throws {
        guard CatalogDatabase.mayExist(db) else { throw ValidationError("no catalogue at \(db); \(hint)") }
    }

    /// The searchable library at `db`, with the model it was indexed with or `checkpoint`.
    static func openLibrary(_ db: String, checkpoint: String?, encoders: Encoders = Encoders()) throws -> LibrarySearch {
        try LibrarySearch.open(
            catalog: try CatalogDatabase.open(db), name: CatalogDatabase.displayName(db),
            checkpoint: checkpoint.map { URL(fileURLWithPath: $0, isDirectory: true) }, encoders: encoders)
    }

    /// For `duet serve`: the library at `db`, and for a PostgreSQL catalogue a started follower that
    /// applies new, changed and removed tracks as the catalogue announces them (a search replica).
    static func openFollowedLibrary(
        _ db: String, checkpoint: String?, encoders: Encoders = Encoders()
    ) throws -> (LibrarySearch, LibraryFollower?) {
        let catalog = try CatalogDatabase.open(db)
        let name = CatalogDatabase.displayName(db)
        let feed = try (catalog as? PostgresCatalog).map { try PostgresChangeFeed(catalog: $0) }
        // Read before loading: changes made while loading are applied again, which is harmless.
        let version = try feed?.currentVersion() ?? 0
        let library = try LibrarySearch.open(
            catalog: catalog, name: name, checkpoint: checkpoint.map { URL(fileURLWithPath: $0, isDirectory: true) }, encoders: encoders)
        guard let feed else { return (library, nil) }
        let follower = LibraryFollower(library: library, feed: feed, version: version)
        follower.log = { line in FileHandle.standardError.write(Data("serve: \(line)\n".utf8)) }
        follower.start()
        return (library, follower)
    }
}
