import DuetTestSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The real `duet serve` executable on 127.0.0.1 and a port the kernel picks (`--port 0`), started for
/// one test and always stopped by ``stop()``: SIGTERM, then SIGKILL. Its output goes to a log file in
/// the test's output folder, which failures quote.
final class ServeProcess {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let process = Process()
    let log: URL
    private(set) var port = 0

    /// Starts `duet serve --db database --port 0`.
    convenience init(database: URL, log: URL) throws {
        try self.init(db: database.path, log: log)
    }

    /// Starts `duet serve --db db --port 0` (a path or a postgres:// URL).
    convenience init(db: String, log: URL) throws {
        try self.init(arguments: ["--db", db], log: log)
    }

    /// Starts `duet serve <arguments> --host 127.0.0.1 --port 0` (e.g. `--study FILE`).
    init(arguments: [String], log: URL) throws {
        guard let executable = SearchFixtures.duetExecutable() else { throw DuetCommand.MissingExecutable() }
        self.log = log
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.executableURL = executable
        process.arguments = ["serve"] + arguments + ["--host", "127.0.0.1", "--port", "0"]
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Waits for the "serving N tracks on http://127.0.0.1:PORT/" line (N trials for a study) and returns N.
    func waitUntilListening(timeout: Duration) throws -> Int {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("serving ") }),
                let address = line.split(separator: " ").first(where: { $0.hasPrefix("http://127.0.0.1:") }),
                let port = Int(address.dropFirst("http://127.0.0.1:".count).prefix { $0.isNumber }),
                let count = Int(line.split(separator: " ")[1])
            {
                self.port = port
                return count
            }
            guard process.isRunning else {
                throw Failure(description: "duet serve exited with status \(process.terminationStatus): \(text)")
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw Failure(description: "duet serve did not listen within \(timeout): \(logText)")
    }

    var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// SIGTERM, then SIGKILL after 10 s.
    func stop() { process.stop(grace: .seconds(10)) }

    deinit { stop() }
}
