import Foundation

/// Why a PostgreSQL catalogue could not be reached or used. Every message names the database
/// (its URL without the password) and says what to check.
public enum PostgresCatalogError: LocalizedError, Equatable {
    /// The `--db` / `DUET_DATABASE_URL` value is not a usable `postgres://` URL.
    case invalidURL(url: String, reason: String)
    /// Nothing accepts connections at the address (server down, wrong host, port or socket folder).
    case connectionRefused(database: String, address: String)
    /// The server rejected the user name or password.
    case authenticationFailed(database: String, user: String, reason: String)
    /// The server runs, but the database does not exist.
    case noSuchDatabase(database: String)
    /// Any other failure to connect.
    case cannotConnect(database: String, reason: String)
    /// The connection broke during a statement (server restarted, network cut); the statement's
    /// transaction was rolled back by the server. Retrying reconnects.
    case connectionLost(database: String, reason: String)
    /// A statement failed on the server.
    case statementFailed(database: String, reason: String)
    /// The URL asks for something this build does not do.
    case unsupported(database: String, feature: String)

    public var errorDescription: String? {
        switch self {
        case .invalidURL(let url, let reason):
            "--db \(url) is not a PostgreSQL URL Duet understands: \(reason); expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgres://USER@/DATABASE?host=/SOCKET/FOLDER"
        case .connectionRefused(let database, let address):
            "cannot connect to the catalogue \(database): nothing accepts connections at \(address); is PostgreSQL running there?"
        case .authenticationFailed(let database, let user, let reason):
            "the catalogue \(database) refused the user '\(user)' (\(reason)); check the user name and password in the URL"
        case .noSuchDatabase(let database):
            "the catalogue \(database) does not exist on its server; create it with `createdb` first"
        case .cannotConnect(let database, let reason):
            "cannot connect to the catalogue \(database): \(reason)"
        case .connectionLost(let database, let reason):
            "lost the connection to the catalogue \(database) (\(reason)); nothing of the interrupted transaction was kept"
        case .statementFailed(let database, let reason):
            "the catalogue \(database) rejected a statement: \(reason)"
        case .unsupported(let database, let feature):
            "the catalogue \(database): \(feature)"
        }
    }

    /// Whether retrying after a reconnection may succeed.
    public var isConnectionProblem: Bool {
        switch self {
        case .connectionRefused, .connectionLost, .cannotConnect: true
        default: false
        }
    }
}
