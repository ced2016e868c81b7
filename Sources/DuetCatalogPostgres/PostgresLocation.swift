import Foundation

/// Where a PostgreSQL catalogue lives, parsed from a libpq-style URL:
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` over TCP, or
/// `postgres://USER@/DATABASE?host=/SOCKET/FOLDER[&port=5432]` over a Unix socket (the socket file is
/// `FOLDER/.s.PGSQL.PORT`, as libpq names it). User name and password may be percent-encoded.
public struct PostgresLocation: Sendable, Equatable {
    public enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case socket(path: String)
    }

    public var endpoint: Endpoint
    public var user: String
    public var password: String?
    public var database: String
    /// The URL without the password, for messages and logs.
    public var displayName: String

    /// Whether `text` names a PostgreSQL catalogue rather than an SQLite file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// The parameters a URL may carry after `?`.
    static let knownParameters: Set<String> = ["host", "port", "user", "password", "dbname", "sslmode", "application_name"]

    /// - Throws: `PostgresCatalogError.invalidURL` naming the problem (never echoing the password).
    public init(url: String) throws {
        guard let schemeEnd = url.range(of: "://"), Self.isURL(url) else {
            throw PostgresCatalogError.invalidURL(url: url, reason: "it must start with postgres:// or postgresql://")
        }
        let rest = url[schemeEnd.upperBound...]
        let (beforeQuery, query) = Self.split(rest, at: "?")
        let (authority, path) = Self.split(beforeQuery, at: "/")
        var userInfo: Substring?
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            userInfo = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
        }
        let redacted = Self.redact(url, userInfo: userInfo)
        func invalid(_ reason: String) -> PostgresCatalogError { .invalidURL(url: redacted, reason: reason) }

        var parameters: [String: String] = [:]
        if let query {
            for pair in query.split(separator: "&") where !pair.isEmpty {
                let (key, value) = Self.split(pair, at: "=")
                guard let name = key.removingPercentEncoding, let decoded = (value ?? "").removingPercentEncoding else {
                    throw invalid("bad percent-encoding in the parameter '\(key)'")
                }
                guard Self.knownParameters.contains(name) else {
                    throw invalid("unknown parameter '\(name)' (known: \(Self.knownParameters.sorted().joined(separator: ", ")))")
                }
                parameters[name] = decoded
            }
        }

        var user = parameters["user"]
        var password = parameters["password"]
        if let userInfo {
            let (name, secret) = Self.split(userInfo, at: ":")
            guard let decodedName = name.removingPercentEncoding else { throw invalid("bad percent-encoding in the user name") }
            if !decodedName.isEmpty { user = decodedName }
            if let secret {
                guard let decoded = secret.removingPercentEncoding else { throw invalid("bad percent-encoding in the password") }
                password = decoded
            }
        }
        guard let user, !user.isEmpty else { throw invalid("no user name (postgres://USER@…)") }

        var host = String(hostPort)
        var portText = parameters["port"]
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw invalid("unclosed [ in the host") }
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") { portText = String(after.dropFirst()) } else if !after.isEmpty { throw invalid("text after the IPv6 address") }
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if let colon = host.lastIndex(of: ":") {
            portText = String(host[host.index(after: colon)...])
            host = String(host[..<colon])
        }
        if let parameterHost = parameters["host"], !parameterHost.isEmpty { host = parameterHost }
        var port = 5432
        if let portText {
            guard let value = Int(portText), (1...65_535).contains(value) else { throw invalid("port '\(portText)' is not between 1 and 65535") }
            port = value
        }
        if host.isEmpty { host = "/var/run/postgresql" }  // libpq's default on Debian

        let databaseName = parameters["dbname"] ?? path.flatMap { $0.removingPercentEncoding } ?? ""
        guard !databaseName.contains("/") else { throw invalid("the database name '\(databaseName)' contains '/'") }

        switch parameters["sslmode"] ?? "disable" {
        case "disable", "allow", "prefer": break
        default:
            throw invalid("sslmode '\(parameters["sslmode"] ?? "")' needs TLS, which this build does not speak; use a Unix socket, the loopback address or an SSH/WireGuard tunnel")
        }

        self.endpoint = host.hasPrefix("/") ? .socket(path: "\(host)/.s.PGSQL.\(port)") : .tcp(host: host, port: port)
        self.user = user
        self.password = password
        self.database = databaseName.isEmpty ? user : databaseName
        self.displayName = redacted
    }

    /// Where the connection goes, for messages.
    public var address: String {
        switch endpoint {
        case .tcp(let host, let port): "\(host):\(port)"
        case .socket(let path): path
        }
    }

    private static func split<S: StringProtocol>(_ text: S, at separator: Character) -> (S.SubSequence, S.SubSequence?) {
        guard let index = text.firstIndex(of: separator) else { return (text[...], nil) }
        return (text[..<index], text[text.index(after: index)...])
    }

    /// The URL with the password (in the user info or a `password=` parameter) replaced by `***`.
    private static func redact(_ url: String, userInfo: Substring?) -> String {
        var result = url
        if let userInfo, let colon = userInfo.firstIndex(of: ":") {
            result.replaceSubrange(userInfo.index(after: colon)..<userInfo.endIndex, with: "***")
        }
        if let range = result.range(of: "password=") {
            let end = result[range.upperBound...].firstIndex(of: "&") ?? result.endIndex
            result.replaceSubrange(range.upperBound..<end, with: "***")
        }
        return result
    }
}
