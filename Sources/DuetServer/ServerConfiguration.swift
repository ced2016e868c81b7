import Foundation

/// Where the server listens, who may call it and how much a request may ask for.
public struct ServerConfiguration: Sendable, Equatable {
    /// The address to bind; loopback by default so that nothing outside the machine can connect.
    public var host: String
    /// The TCP port; 0 picks a free one (tests).
    public var port: Int
    /// When set, every `/api/` route requires `Authorization: Bearer <token>` (the audio route also takes
    /// the `duet_token` cookie, because an `<audio>` element cannot send headers).
    public var token: String?
    public var limits: ServerLimits

    public init(host: String = "127.0.0.1", port: Int = 8080, token: String? = nil, limits: ServerLimits = .init()) {
        self.host = host
        self.port = port
        self.token = token
        self.limits = limits
    }

    /// The shortest token accepted: 16 characters keep a guessed token out of reach of a network attacker.
    public static let minimumTokenLength = 16

    /// Checks the combination before anything binds.
    /// - Throws: ``ServerConfigurationError`` naming the option to change.
    public func validate() throws(ServerConfigurationError) {
        guard !host.isEmpty, !host.contains(where: { $0.isWhitespace || $0 == "/" }) else {
            throw .invalidHost(host)
        }
        guard (0...65_535).contains(port) else { throw .invalidPort(port) }
        if let token {
            guard token.count >= Self.minimumTokenLength else { throw .tokenTooShort(minimum: Self.minimumTokenLength) }
            guard token.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "\"" && $0 != ";" && $0 != "," && $0 != "\\" })
            else { throw .tokenCharacters }
        } else if !Self.isLoopback(host) {
            throw .tokenRequiredOffLoopback(host: host)
        }
        try limits.validate()
    }

    /// True for `localhost`, `127.0.0.0/8` and `::1`: addresses only this machine can reach.
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) else { return false }
        return parts[0] == "127"
    }
}

/// Bounds on what one request may ask for; requests beyond them get a 4xx JSON error naming the limit.
public struct ServerLimits: Sendable, Equatable {
    /// Longest query text, in characters.
    public var maximumQueryLength: Int
    /// Largest `k` (results per request).
    public var maximumK: Int
    /// `k` when the request gives none.
    public var defaultK: Int
    /// Most seeds one `/api/similar` request may name.
    public var maximumSeeds: Int
    /// Largest request body in bytes; every route is a GET, so the default is small.
    public var maximumBodyBytes: Int
    /// Longest request target (path and query), in bytes.
    public var maximumTargetLength: Int

    public init(
        maximumQueryLength: Int = 500, maximumK: Int = 200, defaultK: Int = 20, maximumSeeds: Int = 20,
        maximumBodyBytes: Int = 1024, maximumTargetLength: Int = 4096
    ) {
        self.maximumQueryLength = maximumQueryLength
        self.maximumK = maximumK
        self.defaultK = defaultK
        self.maximumSeeds = maximumSeeds
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumTargetLength = maximumTargetLength
    }

    func validate() throws(ServerConfigurationError) {
        let positive: [(String, Int)] = [
            ("maximumQueryLength", maximumQueryLength), ("maximumK", maximumK), ("defaultK", defaultK),
            ("maximumSeeds", maximumSeeds), ("maximumTargetLength", maximumTargetLength),
        ]
        for (name, value) in positive where value < 1 { throw .invalidLimit(name: name, value: value) }
        guard maximumBodyBytes >= 0 else { throw .invalidLimit(name: "maximumBodyBytes", value: maximumBodyBytes) }
        guard defaultK <= maximumK else { throw .invalidLimit(name: "defaultK", value: defaultK) }
    }
}

/// Why a ``ServerConfiguration`` cannot be used.
public enum ServerConfigurationError: LocalizedError, Equatable, Sendable {
    case invalidHost(String)
    case invalidPort(Int)
    case tokenRequiredOffLoopback(host: String)
    case tokenTooShort(minimum: Int)
    case tokenCharacters
    case invalidLimit(name: String, value: Int)

    public var errorDescription: String? {
        switch self {
        case .invalidHost(let host):
            "--host '\(host)' is not a host name or address; use e.g. 127.0.0.1"
        case .invalidPort(let port):
            "--port \(port) is outside 0...65535"
        case .tokenRequiredOffLoopback(let host):
            "refusing to listen on \(host) without a token: anyone who can reach it could read your library; "
                + "pass --token <at least \(ServerConfiguration.minimumTokenLength) characters> or use --host 127.0.0.1"
        case .tokenTooShort(let minimum):
            "--token must have at least \(minimum) characters"
        case .tokenCharacters:
            "--token may only hold printable ASCII without spaces, quotes, commas, semicolons or backslashes"
        case .invalidLimit(let name, let value):
            "server limit \(name) = \(value) is out of range (limits are positive and defaultK <= maximumK)"
        }
    }
}
