import DuetCatalog
import Foundation

/// Keeps a `LibrarySearch` current with its catalogue (a search replica): on a thread of its own it
/// waits for the catalogue's change announcements (or `pollInterval` seconds, in case one was
/// missed while reconnecting), fetches what changed since the version it holds, and swaps in an
/// updated vector store. Searches never wait for it.
public final class LibraryFollower: @unchecked Sendable {
    public let library: LibrarySearch
    public let feed: any CatalogChangeFeed
    public var pollInterval: Double = 5
    /// One line per applied change set or error.
    public var log: @Sendable (String) -> Void = { _ in }
    private let lock = NSLock()
    private var version: Int64
    private var stopped = false

    /// - Parameter version: the feed's version read before `library` was loaded.
    public init(library: LibrarySearch, feed: any CatalogChangeFeed, version: Int64) {
        self.library = library
        self.feed = feed
        self.version = version
    }

    /// The version applied so far.
    public var appliedVersion: Int64 { lock.withLock { version } }

    /// Starts following on a background thread.
    public func start() {
        Thread { [self] in
            while !lock.withLock({ stopped }) {
                do { try catchUp() } catch { log("cannot follow the catalogue: \(error.localizedDescription)") }
                feed.waitForChange(timeout: pollInterval)
            }
        }.start()
    }

    public func stop() { lock.withLock { stopped = true } }

    /// Applies everything that changed since the held version.
    /// - Returns: whether anything changed.
    @discardableResult
    public func catchUp() throws -> Bool {
        let changes = try feed.changes(after: appliedVersion)
        guard changes.version > appliedVersion else { return false }
        if !changes.isEmpty {
            try library.replaceStore { try $0.applying(changes) }
            log("applied \(changes.tracks.count) new or changed and \(changes.removed.count) removed tracks (\(library.trackCount) in memory)")
        }
        lock.withLock { version = max(version, changes.version) }
        return !changes.isEmpty
    }
}
