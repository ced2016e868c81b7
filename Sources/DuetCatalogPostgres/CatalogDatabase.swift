import DuetCatalog
import Foundation

/// The one place that turns a `--db` value into a catalogue: a `postgres://` or `postgresql://` URL
/// opens `PostgresCatalog`, anything else is the path of an SQLite file (`SQLiteCatalog`, the
/// default). Without `--db`, `DUET_DATABASE_URL` is used when set, else `library.sqlite`.
public enum CatalogDatabase {
    public static let environmentVariable = "DUET_DATABASE_URL"
    public static let defaultPath = "library.sqlite"

    /// The `--db` default: `DUET_DATABASE_URL` when set and not empty, else `library.sqlite`.
    public static func defaultLocation(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let url = environment[environmentVariable], !url.isEmpty { return url }
        return defaultPath
    }

    /// Whether `location` names a database server rather than a file.
    public static func isServer(_ location: String) -> Bool { PostgresLocation.isURL(location) }

    /// `location` for messages: a URL without its password, or the path.
    public static func displayName(_ location: String) -> String {
        guard isServer(location) else { return location }
        return (try? PostgresLocation(url: location).displayName) ?? "the PostgreSQL URL given"
    }

    /// Whether there may be a catalogue at `location` (a server always may; a file must exist).
    public static func mayExist(_ location: String) -> Bool {
        isServer(location) || FileManager.default.fileExists(atPath: location)
    }

    /// Opens (creating when needed) the catalogue at `location`.
    /// - Throws: `CatalogError` or `PostgresCatalogError`, each naming the database.
    public static func open(_ location: String) throws -> any Catalog {
        if isServer(location) { return try PostgresCatalog(url: location) }
        return try SQLiteCatalog(path: location)
    }
}
