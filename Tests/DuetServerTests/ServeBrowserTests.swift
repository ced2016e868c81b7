import DuetTestSupport
import Foundation
import Testing

/// The whole path a user takes, with the real executables: `duet index` writes a catalogue of a small
/// generated library with a tiny checkpoint, `duet serve` serves it on a free loopback port, and headless
/// Chromium types a query, gets results and a playable audio source (a Range request answered 206), and
/// takes a screenshot. Needs the MiniLM weights for the query (DUET_TEST_WEIGHTS=1, as `make test` sets)
/// and chromium (`make setup`); under CI a missing chromium is an error. Every wait is generous: CI
/// machines are slow and shared.
@Suite(.serialized) struct ServeBrowserTests {
    static var shouldRun: Bool {
        ProcessInfo.processInfo.environment["DUET_TEST_WEIGHTS"] == "1" && BrowserTests.shouldRun
    }

    @Test(.enabled(if: ServeBrowserTests.shouldRun, "needs DUET_TEST_WEIGHTS=1 (MiniLM for queries) and chromium (make setup)"),
          .timeLimit(.minutes(10)))
    func indexServeSearchAndPlay() async throws {
        guard let executable = ChromiumProcess.executable else {
            Issue.record("CI is set but chromium is not installed: run Scripts/setup.sh (Debian package chromium)")
            return
        }
        let root = try SearchFixtures.temporaryFolder("serve-browser")
        defer { try? FileManager.default.removeItem(at: root.appendingPathComponent("music")) }
        let output = root.appendingPathComponent("output", isDirectory: true)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        print("serve browser test output (screenshot, server and chromium logs): \(output.path)")

        let music = root.appendingPathComponent("music", isDirectory: true)
        try FileManager.default.createDirectory(at: music, withIntermediateDirectories: true)
        _ = try SearchFixtures.library(count: 5, seconds: 12, in: music)
        let checkpoint = try SearchFixtures.tinyCheckpoint(in: root)
        let database = root.appendingPathComponent("library.sqlite")
        let index = try DuetCommand.run(["index", music.path, "--model", checkpoint.path, "--db", database.path, "--segments", "2"])
        try #require(index.status == 0, "duet index failed: \(index.error)")
        #expect(index.output.contains("5 audio files: 5 embedded"), "\(index.output)")

        let server = try ServeProcess(database: database, log: output.appendingPathComponent("serve.log"))
        defer { server.stop() }
        let count = try server.waitUntilListening(timeout: .seconds(180))
        #expect(count == 5, "\(server.logText)")
        let port = server.port

        try await onOwnThread {
            try ServeBrowserScenario(executable: executable, serverPort: port, trackCount: 5, output: output).run()
        }
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("serve-search.png").path))
    }
}

/// The browser's steps against `duet serve`, on one thread that owns the browser and its DevTools connection.
struct ServeBrowserScenario {
    let executable: URL
    let serverPort: Int
    let trackCount: Int
    let output: URL

    func run() throws {
        try DevToolsSession.withPage(executable: executable, output: output, url: "http://127.0.0.1:\(serverPort)/") { session in
            try session.wait(
                for: "document.readyState === 'complete' && document.activeElement && document.activeElement.id === 'query'",
                what: "the page to load with the search box focused", timeout: .seconds(60))
            try session.wait(
                for: "document.getElementById('footer').textContent.includes('\(trackCount) tracks')",
                what: "the library size in the footer", timeout: .seconds(60))

            // The first query loads the text encoder in the server: minutes are allowed on a loaded machine.
            try session.typeAndPressEnter("calm piano in the evening")
            try session.wait(
                for: "document.querySelectorAll('#results .result').length === \(trackCount)",
                what: "\(trackCount) result rows", timeout: .seconds(180))
            let titles = try session.evaluate("[...document.querySelectorAll('#results .result .title')].map(e => e.textContent)") as? [String] ?? []
            guard Set(titles) == Set((0..<trackCount).map { String(format: "track-%03d.wav", $0) }) else {
                throw failure("the results are not the indexed tracks: \(titles)")
            }

            try session.wait(
                for: "document.querySelector('#results audio') && document.querySelector('#results audio').readyState >= 1",
                what: "the audio element to load metadata", timeout: .seconds(60))
            let probe = try session.evaluate(
                """
                (async () => {
                  const audio = document.querySelector('#results audio');
                  const response = await fetch(audio.src, { headers: { Range: 'bytes=0-99' } });
                  return { status: response.status, type: response.headers.get('content-type'),
                           range: response.headers.get('content-range'), length: (await response.arrayBuffer()).byteLength,
                           canPlay: audio.canPlayType('audio/wav'), duration: audio.duration, error: audio.error ? audio.error.code : 0 };
                })()
                """) as? [String: Any] ?? [:]
            guard probe["status"] as? Int == 206, probe["type"] as? String == "audio/wav", probe["length"] as? Int == 100,
                (probe["range"] as? String ?? "").hasPrefix("bytes 0-99/"), (probe["canPlay"] as? String ?? "") != "",
                probe["error"] as? Int == 0, let duration = probe["duration"] as? Double, abs(duration - 12) < 0.1
            else { throw failure("the audio source is not playable: \(probe)") }
            try session.screenshot(to: output.appendingPathComponent("serve-search.png"))

            let errors = session.pageErrors
            guard errors.isEmpty else { throw failure("the page reported errors: \(errors.joined(separator: "; "))") }
        }
    }

    private func failure(_ message: String) -> DevToolsSession.Failure { .init(description: message) }
}
