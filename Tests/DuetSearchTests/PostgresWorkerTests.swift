import DuetCatalog
@testable import DuetCatalogPostgres
import DuetSearch
import DuetTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `duet index --enqueue` and a fleet of `duet worker` processes on a real PostgreSQL server: one
/// worker killed with SIGKILL mid-batch, the others' connections cut once; every file must end
/// indexed exactly once, with the vectors a plain `duet index` computes.
@Suite("PostgresWorkerTests: duet worker fleets on a real PostgreSQL server", .serialized,
       .enabled(if: PostgresCluster.isAvailable, Comment(rawValue: PostgresCluster.missingReason)))
struct PostgresWorkerTests {
    @Test func threeWorkersOneKilledIndexEveryFileExactlyOnce() throws {
        let duet = try #require(SearchFixtures.duetExecutable(), "the duet executable is built beside the tests")
        let root = try SearchFixtures.temporaryFolder("workers")
        let music = root.appendingPathComponent("music")
        try FileManager.default.createDirectory(at: music, withIntermediateDirectories: true)
        let files = try SearchFixtures.library(count: 40, seconds: 12, in: music)
        try Data(String(repeating: "not audio\n", count: 50).utf8).write(to: music.appendingPathComponent("bad.flac"))
        let checkpoint = try SearchFixtures.tinyCheckpoint(in: root)
        let url = try PostgresCluster.shared().makeDatabase()

        let enqueue = try DuetCommand.run(["index", music.path, "--enqueue", "--model", checkpoint.path, "--db", url, "--segments", "2"])
        #expect(enqueue.status == 0, "\(enqueue.error)")
        #expect(enqueue.output.contains("41 audio files: 41 queued"), "\(enqueue.output)")

        func startWorker(_ log: URL) throws -> Process {
            let process = Process()
            process.executableURL = duet
            process.arguments = ["worker", "--db", url, "--batch", "4", "--lease", "3", "--threads", "1", "--json"]
            FileManager.default.createFile(atPath: log.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: log)
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        let logs = (0..<3).map { root.appendingPathComponent("worker\($0).json") }
        let workers = try logs.map(startWorker)
        let probe = try PostgresCatalog(url: url)
        func claims(of process: Process) throws -> Int {
            try probe.session.withConnection { statements in
                try statements.run("SELECT count(*) FROM work_items WHERE claimed_by LIKE \("%-\(process.processIdentifier)-%")")
                    .first?.decode(Int.self) ?? 0
            }
        }

        // Kill the first worker while it holds a claim (mid-batch: claimed, not yet stored).
        let victim = workers[0]
        let deadline = Date().addingTimeInterval(120)
        while try claims(of: victim) == 0 && victim.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        let heldWhenKilled = try claims(of: victim)
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        #expect(heldWhenKilled > 0, "the worker was killed holding a claim")

        // Cut the survivors' connections once: they reconnect and go on.
        Thread.sleep(forTimeInterval: 0.5)
        let survivorsRunning = workers.dropFirst().filter(\.isRunning).count
        try probe.session.withConnection { statements in
            try statements.run("""
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid()
                """)
        }

        var reconnections = 0
        for (worker, log) in zip(workers.dropFirst(), logs.dropFirst()) {
            worker.waitUntilExit()
            let summary = (try? Data(contentsOf: log)) ?? Data()
            #expect(worker.terminationStatus == 0, "\(String(decoding: summary, as: UTF8.self))")
            let object = try JSONSerialization.jsonObject(with: summary) as? [String: Any]
            reconnections += object?["reconnections"] as? Int ?? 0
        }

        var paths: [String] = []
        var vectors: [String: [Float]] = [:]
        try probe.forEachTrack { paths.append($0.path); vectors[$0.path] = $0.vector }
        #expect(paths.count == Set(paths).count, "no file twice")
        #expect(Set(paths) == Set(files.map { LibraryWalker.canonicalPath($0.path) ?? $0.path }), "every good file indexed")
        #expect(try probe.failures().map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["bad.flac"], "the bad file recorded once")
        #expect(try PostgresWorkQueue(catalog: probe).pendingCount() == 0, "the queue is empty")
        #expect(survivorsRunning > 0, "a worker was still running when the connections were cut")
        print("worker fleet: killed holding \(heldWhenKilled) claims; \(survivorsRunning) workers cut off; \(reconnections) retried statements")

        // The same files through plain `duet index` into SQLite give the same vectors.
        let reference = root.appendingPathComponent("reference.sqlite").path
        let plain = try DuetCommand.run(["index", music.path, "--model", checkpoint.path, "--db", reference, "--segments", "2"],
                                        environment: ["DUET_THREADS": "1"])
        #expect(plain.status == 0, "\(plain.error)")
        var largest: Float = 0
        try SQLiteCatalog(path: reference).forEachTrack { track in
            guard let vector = vectors[track.path] else { return }
            for (a, b) in zip(vector, track.vector) { largest = max(largest, abs(a - b)) }
        }
        #expect(largest <= 1e-6, "largest difference from a plain duet index: \(largest)")
    }
}
