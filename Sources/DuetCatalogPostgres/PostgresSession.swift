import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// One connection to a PostgreSQL catalogue, used synchronously.
///
/// The `Catalog` protocol is synchronous (SQLite's is), and postgres-nio is asynchronous. The bridge:
/// each session owns a dedicated one-thread `MultiThreadedEventLoopGroup` that runs the connection, and
/// callers wait on its `EventLoopFuture`s with `wait()`. Waiting blocks only the caller's thread, never
/// an event loop (the caller is never on this private loop) and never needs Swift's cooperative pool
/// to make progress, so it cannot deadlock even when the caller is a task on that pool. One lock
/// serialises statements: a transaction owns the connection from `BEGIN` to `COMMIT`.
///
/// A broken connection (server restart, network cut) is dropped; the next statement reconnects.
final class PostgresSession: @unchecked Sendable {
    let location: PostgresLocation
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let lock = NSLock()
    private var connection: PostgresConnection?
    private let logger: Logger = {
        var logger = Logger(label: "duet.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        logger.logLevel = .critical
        return logger
    }()

    /// Connects at once, so that a wrong URL, password or address fails here with its message.
    init(location: PostgresLocation) throws {
        self.location = location
        do {
            try lock.withLock { _ = try connected() }
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
    }

    deinit {
        if let connection { try? connection.close().wait() }
        try? group.syncShutdownGracefully()
    }

    var database: String { location.displayName }

    /// Runs `body` with exclusive use of the connection (statements of one caller never interleave
    /// with another's).
    func withConnection<T>(_ body: (PostgresStatements) throws -> T) throws -> T {
        try lock.withLock { try body(PostgresStatements(connection: try connected(), session: self)) }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: (PostgresStatements) throws -> T) throws -> T {
        try withConnection { statements in
            try statements.execute("BEGIN")
            do {
                let result = try body(statements)
                try statements.execute("COMMIT")
                return result
            } catch {
                _ = try? statements.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// The open connection, reconnecting when the last one broke. Call with the lock held.
    private func connected() throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        connection = nil
        let configuration: PostgresConnection.Configuration
        switch location.endpoint {
        case .tcp(let host, let port):
            configuration = .init(host: host, port: port, username: location.user, password: location.password,
                                  database: location.database, tls: .disable)
        case .socket(let path):
            configuration = .init(unixSocketPath: path, username: location.user, password: location.password, database: location.database)
        }
        do {
            let opened = try PostgresConnection.connect(on: group.next(), configuration: configuration, id: 1, logger: logger).wait()
            connection = opened
            return opened
        } catch {
            throw connectionError(error)
        }
    }

    /// Forgets a connection that broke, so that the next statement reconnects.
    fileprivate func discard(_ broken: PostgresConnection) {
        if connection === broken {
            let closing: EventLoopFuture<Void> = broken.close()
            closing.whenComplete { _ in }
            connection = nil
        }
    }

    var debugLogger: Logger { logger }

    /// A connection failure as a precise `PostgresCatalogError`.
    func connectionError(_ error: any Error) -> PostgresCatalogError {
        let description = Self.describe(error)
        if let error = error as? PSQLError {
            if let state = error.serverInfo?[.sqlState] {
                switch state {
                case "28P01", "28000": return .authenticationFailed(database: database, user: location.user, reason: description)
                case "3D000": return .noSuchDatabase(database: database)
                default: break
                }
            }
            if error.code == .authMechanismRequiresPassword {
                return .authenticationFailed(database: database, user: location.user, reason: "the server asks for a password and the URL has none")
            }
            if let underlying = error.underlying, Self.isRefusal(underlying) {
                return .connectionRefused(database: database, address: location.address)
            }
        }
        if Self.isRefusal(error) { return .connectionRefused(database: database, address: location.address) }
        return .cannotConnect(database: database, reason: description)
    }

    /// A statement failure: a broken connection or the server's message.
    func statementError(_ error: any Error) -> PostgresCatalogError {
        let brokenConnection: [PSQLError.Code] = [.serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown]
        if let error = error as? PSQLError, error.serverInfo == nil, brokenConnection.contains(error.code) {
            return .connectionLost(database: database, reason: Self.describe(error))
        }
        if error is ChannelError || error is IOError { return .connectionLost(database: database, reason: Self.describe(error)) }
        return .statementFailed(database: database, reason: Self.describe(error))
    }

    private static func isRefusal(_ error: any Error) -> Bool {
        if let error = error as? IOError { return [ECONNREFUSED, ENOENT, EHOSTUNREACH].contains(error.errnoCode) }
        if let error = error as? NIOConnectionError {
            return error.connectionErrors.contains { isRefusal($0.error) } || (error.dnsAError == nil && error.dnsAAAAError == nil && !error.connectionErrors.isEmpty)
        }
        return "\(error)".contains("connection refused") || "\(error)".contains("No such file")
    }

    /// PSQLError's own description hides the server's message on purpose; this keeps it (it never
    /// contains the password).
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                let detail = error.serverInfo?[.detail].map { "; \($0)" } ?? ""
                return message + state + detail
            }
            if let underlying = error.underlying { return "\(error.code): \(describe(underlying))" }
            return "\(error.code)"
        }
        return "\(error)"
    }

    fileprivate func brokeDuring(_ connection: PostgresConnection) { discard(connection) }
}

/// Statements on a session's connection while its lock is held (inside `withConnection` or
/// `transaction`).
struct PostgresStatements {
    let connection: PostgresConnection
    let session: PostgresSession

    /// Runs `query` and returns every row.
    @discardableResult
    func run(_ query: PostgresQuery) throws -> [PostgresRow] {
        do {
            let result = try connection.query(query, logger: session.debugLogger).wait()
            return Array(result.rows)
        } catch {
            let mapped = session.statementError(error)
            if case .connectionLost = mapped { session.brokeDuring(connection) }
            throw mapped
        }
    }

    /// Runs a statement without parameters (DDL, `BEGIN`, `COMMIT`).
    @discardableResult
    func execute(_ sql: String) throws -> [PostgresRow] {
        try run(PostgresQuery(unsafeSQL: sql))
    }
}
