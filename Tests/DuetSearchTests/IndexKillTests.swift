import DuetCatalog
@testable import DuetSearch
import DuetTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `duet index` killed with SIGKILL at random moments, then rerun: the catalogue must hold every
/// file exactly once, with the vectors a clean run computes.
@Suite("kill -9 during duet index", .serialized)
struct IndexKillTests {
    @Test func killedRunsLeaveAConsistentCatalogue() throws {
        let duet = try #require(SearchFixtures.duetExecutable(), "the duet executable is built beside the tests")
        let root = try SearchFixtures.temporaryFolder("kill")
        let music = root.appendingPathComponent("music")
        try FileManager.default.createDirectory(at: music, withIntermediateDirectories: true)
        let files = try SearchFixtures.library(count: 96, seconds: 12, in: music)
        try Data(String(repeating: "not audio\n", count: 50).utf8).write(to: music.appendingPathComponent("bad.flac"))
        let checkpoint = try SearchFixtures.tinyCheckpoint(in: root)
        let database = root.appendingPathComponent("library.sqlite").path
        let reference = root.appendingPathComponent("reference.sqlite").path
        func arguments(_ database: String) -> [String] {
            ["index", music.path, "--model", checkpoint.path, "--db", database, "--segments", "2"]
        }
        func start(_ arguments: [String], output: Any = FileHandle.nullDevice) throws -> Process {
            let process = Process()
            process.executableURL = duet
            process.arguments = arguments
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }

        // An uninterrupted run gives the reference catalogue and the run time the kills are drawn from.
        let clock = ContinuousClock()
        let began = clock.now
        let clean = try start(arguments(reference))
        clean.waitUntilExit()
        let elapsed = clock.now - began
        let runSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        #expect(clean.terminationStatus == 0)

        var generator = SystemRandomNumberGenerator()
        var delays: [Double] = []
        var killedMidRun = 0
        for _ in 0..<3 {
            let process = try start(arguments(database))
            // Draw the moment from the time the remaining work takes, so later kills land mid-run too.
            let done = try SQLiteCatalogProbe.indexedCount(database)
            let remaining = max(0.2, Double(files.count + 1 - done) / Double(files.count + 1))
            let delay = Double.random(in: 0...(runSeconds * remaining), using: &generator)
            delays.append(delay)
            Thread.sleep(forTimeInterval: delay)
            if process.isRunning { killedMidRun += 1 }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let output = Pipe()
        let final = try start(arguments(database) + ["--json"], output: output)
        let summary = output.fileHandleForReading.readDataToEndOfFile()
        final.waitUntilExit()
        let context = "kills at \(delays) s of a \(runSeconds)-s run, \(killedMidRun) before it ended"
        print("kill -9 test: \(context)")
        #expect(final.terminationStatus == 0, "\(context): \(String(decoding: summary, as: UTF8.self))")

        func contents(_ path: String) throws -> (paths: [String], vectors: [String: [UInt32]], failures: [String]) {
            let catalog = try SQLiteCatalog(path: path)
            var paths: [String] = []
            var vectors: [String: [UInt32]] = [:]
            try catalog.forEachTrack { paths.append($0.path); vectors[$0.path] = $0.vector.map(\.bitPattern) }
            return (paths, vectors, try catalog.failures().map { URL(fileURLWithPath: $0.path).lastPathComponent })
        }
        let killed = try contents(database)
        let expected = try contents(reference)
        #expect(killed.paths.count == Set(killed.paths).count, "no path twice (\(context))")
        #expect(killed.paths.count == files.count, "every good file indexed (\(context))")
        #expect(killed.failures == ["bad.flac"], "\(context)")
        // Same executable, same thread setting, same files: the same bits by construction.
        #expect(killed.vectors == expected.vectors, "vectors equal an uninterrupted run's (\(context))")
    }
}

/// How many files a catalogue holds (tracks and failures); 0 before it exists.
enum SQLiteCatalogProbe {
    static func indexedCount(_ path: String) throws -> Int {
        guard FileManager.default.fileExists(atPath: path) else { return 0 }
        let catalog = try SQLiteCatalog(path: path)
        return try catalog.trackCount() + catalog.failures().count
    }
}
