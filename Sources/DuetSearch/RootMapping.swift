/// Where a worker finds the catalogue's files: the catalogue keeps paths as the enqueuing machine
/// saw them, and a worker that mounts the library elsewhere maps prefixes, e.g.
/// `/mnt/music=/srv/music` reads `/mnt/music/a.flac` from `/srv/music/a.flac`.
public struct RootMapping: Sendable, Equatable {
    /// Pairs of (catalogue prefix, local prefix), longest catalogue prefix first.
    public private(set) var pairs: [(catalogue: String, local: String)]

    public static func == (lhs: RootMapping, rhs: RootMapping) -> Bool {
        lhs.pairs.map(\.catalogue) == rhs.pairs.map(\.catalogue) && lhs.pairs.map(\.local) == rhs.pairs.map(\.local)
    }

    /// No mapping: paths are read as the catalogue has them.
    public init() {
        pairs = []
    }

    /// Parses `CATALOGUE=LOCAL` arguments (absolute paths, no trailing slash needed).
    /// - Throws: `SearchError.outOfRange` naming the bad argument.
    public init(_ arguments: [String]) throws {
        pairs = try arguments.map { argument in
            let parts = argument.split(separator: "=", maxSplits: 1).map { String($0) }
            guard parts.count == 2, parts[0].hasPrefix("/"), parts[1].hasPrefix("/") else {
                throw SearchError.outOfRange(option: "root", value: argument, allowed: "CATALOGUE_PATH=LOCAL_PATH, both absolute")
            }
            return (Self.trimmed(parts[0]), Self.trimmed(parts[1]))
        }.sorted { $0.0.count > $1.0.count }
    }

    /// Where to read the catalogue's `path` on this machine.
    public func local(_ path: String) -> String {
        for pair in pairs where path == pair.catalogue || path.hasPrefix(pair.catalogue == "/" ? "/" : pair.catalogue + "/") {
            let rest = path.dropFirst(pair.catalogue == "/" ? 0 : pair.catalogue.count)
            return pair.local == "/" ? (rest.isEmpty ? "/" : String(rest)) : pair.local + rest
        }
        return path
    }

    private static func trimmed(_ path: String) -> String {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
