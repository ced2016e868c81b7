import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A throw-away PostgreSQL cluster for tests: `initdb` into a temporary folder, `pg_ctl start` on a
/// Unix socket in that folder (no TCP port, so parallel test runs never collide), password
/// authentication (SCRAM) so that a wrong password can be tested. One cluster per test process,
/// started on first use and stopped and deleted when the process exits (`atexit`), also when tests
/// failed; each test takes a database of its own from `makeDatabase()`.
///
/// PostgreSQL refuses to run as root, and CI runs as root: then `initdb` and `pg_ctl` run as the
/// unprivileged `nobody` through `runuser`, which owns the folder. The binaries come from Debian's
/// `postgresql-15` (installed by `make setup`), found under /usr/lib/postgresql/VERSION/bin.
public final class PostgresCluster: @unchecked Sendable {
    public static let user = "duet"
    public static let password = "throw-away-test-password"

    /// Why the PostgreSQL tests are skipped on a machine without the server.
    public static let missingReason =
        "PostgreSQL's initdb and pg_ctl are not installed (Debian postgresql-15; `make setup` installs it)"

    /// The folder with `initdb`, `pg_ctl`, `createdb` (the newest installed version), or nil.
    public static let binaries: URL? = {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let bin = root.appendingPathComponent(version).appendingPathComponent("bin")
            if ["initdb", "pg_ctl", "createdb"].allSatisfy({ FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent($0).path) }) {
                return bin
            }
        }
        return nil
    }()

    public static var isAvailable: Bool { binaries != nil }

    /// A cluster failed to start or a tool failed; the message carries the tool's output.
    public struct Failure: LocalizedError {
        public var message: String
        public var errorDescription: String? { message }
    }

    public let folder: URL
    public let socketFolder: URL
    private let bin: URL
    private let lock = NSLock()
    private var stopped = false
    private var databaseCount = 0

    nonisolated(unsafe) private static var sharedCluster: PostgresCluster?
    private static let sharedLock = NSLock()

    /// The process's cluster, started on first call.
    public static func shared() throws -> PostgresCluster {
        try sharedLock.withLock {
            if let sharedCluster { return sharedCluster }
            let cluster = try PostgresCluster()
            sharedCluster = cluster
            atexit { PostgresCluster.sharedCluster?.stop() }
            return cluster
        }
    }

    /// Starts a new cluster (prefer `shared()`; call `stop()` when done).
    public init() throws {
        guard let bin = Self.binaries else { throw Failure(message: Self.missingReason) }
        self.bin = bin
        folder = URL(fileURLWithPath: "/tmp").appendingPathComponent("duet-pg-\(UUID().uuidString.prefix(8))")
        socketFolder = folder.appendingPathComponent("socket")
        let manager = FileManager.default
        try manager.createDirectory(at: socketFolder, withIntermediateDirectories: true)
        let passwordFile = folder.appendingPathComponent("password")
        try Data(Self.password.utf8).write(to: passwordFile)
        if Self.runsAsRoot {
            for path in [folder.path, socketFolder.path, passwordFile.path] {
                try manager.setAttributes([.ownerAccountName: "nobody"], ofItemAtPath: path)
            }
        }
        let data = folder.appendingPathComponent("data").path
        do {
            try runAsOwner("initdb", ["-D", data, "-U", Self.user, "--auth=scram-sha-256", "--pwfile=\(passwordFile.path)",
                                      "-E", "UTF8", "--locale=C", "--no-sync"])
            try runAsOwner("pg_ctl", ["-D", data, "-l", folder.appendingPathComponent("server.log").path, "-w", "-t", "120",
                                      "-o", "-k \(socketFolder.path) -c listen_addresses='' -p 5432 -c fsync=off -c max_connections=60",
                                      "start"])
        } catch {
            try? manager.removeItem(at: folder)
            throw error
        }
    }

    /// A `postgres://` URL of a new, empty database.
    public func makeDatabase() throws -> String {
        let name = lock.withLock { () -> String in
            databaseCount += 1
            return "test\(databaseCount)_\(UUID().uuidString.prefix(6).lowercased())"
        }
        let result = try DuetCommand.run(
            executable: bin.appendingPathComponent("createdb"), ["-h", socketFolder.path, "-p", "5432", "-U", Self.user, name],
            environment: ["PGPASSWORD": Self.password])
        guard result.status == 0 else { throw Failure(message: "createdb \(name) failed: \(result.error)") }
        return url(database: name)
    }

    /// The URL of `database` with the right password (or `password`).
    public func url(database: String, password: String = PostgresCluster.password) -> String {
        "postgres://\(Self.user):\(password)@/\(database)?host=\(socketFolder.path)&port=5432"
    }

    /// Stops the server at once and deletes the folder; safe to call twice.
    public func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        try? runAsOwner("pg_ctl", ["-D", folder.appendingPathComponent("data").path, "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(at: folder)
    }

    private static var runsAsRoot: Bool { getuid() == 0 }

    /// Runs a server tool as the folder's owner (`nobody` under root), its output in `tool.out`.
    ///
    /// Spawned and reaped with posix_spawn and waitpid rather than Foundation's `Process`: after
    /// `pg_ctl start` (whose server lives on as a grandchild) `Process.waitUntilExit` was seen never
    /// to return although the child had exited (a zombie nobody reaped).
    private func runAsOwner(_ tool: String, _ arguments: [String]) throws {
        let path = bin.appendingPathComponent(tool).path
        let command = (Self.runsAsRoot ? ["/usr/sbin/runuser", "-u", "nobody", "--", path] : [path]) + arguments
        let output = folder.appendingPathComponent("\(tool).out").path
        let script = command.map(Self.quoted).joined(separator: " ") + " </dev/null >\(Self.quoted(output)) 2>&1"
        var pid: pid_t = 0
        let words: [String] = ["/bin/sh", "-c", script]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { word in strdup(word) } + [nil]
        defer { argv.forEach { free($0) } }
        let spawned = posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ)
        guard spawned == 0 else { throw Failure(message: "cannot start \(tool): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exitCode = (status >> 8) & 0xff
        guard status & 0x7f == 0 && exitCode == 0 else {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            throw Failure(message: "\(tool) failed (wait status \(status)): \(text)")
        }
    }

    private static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
