import DuetTestSupport
import Foundation
import Testing

/// The listening study end to end with the real executables: `duet study create` plans a study over a small
/// generated test split with two tiny checkpoints and the ground truth, `duet serve --study` serves it, headless
/// Chromium takes it as three participants using the keyboard only (one of them reloads mid-way and resumes),
/// and `duet study report` counts exactly the answers given. Needs the locked-encoder weights for the features
/// (DUET_TEST_WEIGHTS=1, as `make test` sets) and chromium (`make setup`).
@Suite(.serialized) struct StudyBrowserTests {
    static var shouldRun: Bool { ServeBrowserTests.shouldRun }

    @Test(.enabled(if: StudyBrowserTests.shouldRun, "needs DUET_TEST_WEIGHTS=1 (musicnn, MiniLM) and chromium (make setup)"),
          .timeLimit(.minutes(10)))
    func createTakeAndReportAStudy() async throws {
        guard let executable = ChromiumProcess.executable else {
            Issue.record("CI is set but chromium is not installed: run Scripts/setup.sh (Debian package chromium)")
            return
        }
        let root = try SearchFixtures.temporaryFolder("study-browser")
        let output = root.appendingPathComponent("output", isDirectory: true)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        print("study browser test output (screenshot, report, server and chromium logs): \(output.path)")

        let music = root.appendingPathComponent("music", isDirectory: true)
        try FileManager.default.createDirectory(at: music, withIntermediateDirectories: true)
        let files = try SearchFixtures.library(count: 6, seconds: 4, in: music)
        let words = ["calm piano", "loud drums", "soft strings", "fast guitar", "slow organ", "bright synth"]
        let lines = try files.enumerated().map { index, file -> String in
            let item: [String: Any] = [
                "id": String(format: "%06d", index), "audio": "music/\(file.lastPathComponent)", "split": "test",
                "tags": ["genre": ["test"]], "captions": ["\(words[index]) number \(index)"],
                "metadata": ["source": index < 3 ? "alpha" : "beta"],
            ]
            return String(decoding: try JSONSerialization.data(withJSONObject: item, options: [.sortedKeys]), as: UTF8.self)
        }
        let manifest = root.appendingPathComponent("manifest.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: manifest, atomically: true, encoding: .utf8)
        let first = try SearchFixtures.tinyCheckpoint(in: root, seed: 1)
        let second = try SearchFixtures.tinyCheckpoint(in: root, seed: 2)
        let study = root.appendingPathComponent("study.sqlite")
        let create = try DuetCommand.run([
            "study", "create", "--manifest", manifest.path, "--system", "A=\(first.path)", "--system", "B=\(second.path)",
            "--system", "truth", "--prompts", "3", "--trials-per-participant", "4", "--seed", "5", "-o", study.path,
        ])
        try #require(create.status == 0, "duet study create failed: \(create.error)")
        // Datasets come from the items' metadata.source.
        #expect(create.output.contains("3 prompts from alpha, beta"), "\(create.output)")
        let again = try DuetCommand.run([
            "study", "create", "--manifest", manifest.path, "--system", "A=\(first.path)", "--system", "truth", "-o", study.path,
        ])
        #expect(again.status != 0 && again.error.contains("--force"), "refuses to overwrite: \(again.error)")
        let tooMany = try DuetCommand.run([
            "study", "create", "--manifest", manifest.path, "--system", "A=\(first.path)", "--system", "truth", "--prompts", "7",
            "-o", root.appendingPathComponent("other.sqlite").path,
        ])
        #expect(tooMany.status != 0 && tooMany.error.contains("has 6 clips with captions, too few for 7 prompts"), "\(tooMany.error)")

        let server = try ServeProcess(arguments: ["--study", study.path], log: output.appendingPathComponent("serve.log"))
        defer { server.stop() }
        let trials = try server.waitUntilListening(timeout: .seconds(120))
        #expect(trials >= 4, "\(server.logText)")
        let port = server.port

        let pressed = try await onOwnThread {
            try StudyBrowserScenario(executable: executable, serverPort: port, participants: 3, sessionLength: 4, output: output).run()
        }
        #expect(pressed.count == 12)

        let report = try DuetCommand.run(["study", "report", study.path, "--json", "--svg", output.appendingPathComponent("study.svg").path])
        try #require(report.status == 0, "duet study report failed: \(report.error)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.output.utf8)) as? [String: Any])
        #expect(json["answers"] as? Int == 12 && json["participants"] as? Int == 3 && json["answeringParticipants"] as? Int == 3)
        let sides = try #require(json["sides"] as? [String: [String: Any]])
        for (choice, name) in [("left", "left"), ("right", "right"), ("tie", "tie")] {
            #expect(sides[name]?["count"] as? Int == pressed.filter { $0 == choice }.count, "\(name): \(sides)")
        }
        let comparisons = try #require(json["comparisons"] as? [[String: Any]])
        let overall = comparisons.filter { $0["dataset"] as? String == "all" }.compactMap { $0["answers"] as? Int }
        #expect(overall.reduce(0, +) == 12)
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("study.svg").path))
        let text = try DuetCommand.run(["study", "report", study.path])
        #expect(text.status == 0 && text.output.contains("## A vs B") && text.output.contains("At least as good as the ground truth"))
        try text.output.write(to: output.appendingPathComponent("report.md"), atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(at: music)
    }
}

/// The participants' steps in the browser, on one thread that owns the browser and its DevTools connection.
/// Returns the answers given ("left", "right", "tie"), in order.
struct StudyBrowserScenario {
    let executable: URL
    let serverPort: Int
    let participants: Int
    let sessionLength: Int
    let output: URL

    /// The keys a participant presses, with the answer each one means.
    static let keys: [(key: String, code: String, keyCode: Int, text: String, choice: String)] = [
        ("1", "Digit1", 49, "1", "left"), ("3", "Digit3", 51, "3", "right"), ("2", "Digit2", 50, "2", "tie"),
        ("ArrowLeft", "ArrowLeft", 37, "", "left"), ("ArrowRight", "ArrowRight", 39, "", "right"),
    ]

    func run() throws -> [String] {
        return try DevToolsSession.withPage(executable: executable, output: output, url: "http://127.0.0.1:\(serverPort)/") { session in
            var given: [String] = []
            for participant in 0..<participants {
                try session.wait(
                    for: "document.readyState === 'complete' && !document.getElementById('intro').hidden && document.activeElement.id === 'start'",
                    what: "participant \(participant + 1): the introduction with Start focused", timeout: .seconds(60))
                try session.press(key: "Enter", code: "Enter", keyCode: 13, text: "\r")
                for index in 0..<sessionLength {
                    try session.wait(
                        for: "!document.getElementById('trial').hidden && document.getElementById('progress-text').textContent === 'Comparison \(index + 1) of \(sessionLength)' && !document.getElementById('choose-left').disabled",
                        what: "participant \(participant + 1): comparison \(index + 1)", timeout: .seconds(60))
                    if participant == 0 && index == 0 { try checkPlayers(session) }
                    if participant == 0 && index == 2 {
                        // Closing the tab loses nothing: reload, and the page resumes at the third comparison.
                        try session.call("Page.reload")
                        try session.wait(
                            for: "document.readyState === 'complete' && !document.getElementById('trial').hidden && document.getElementById('progress-text').textContent === 'Comparison 3 of \(sessionLength)'",
                            what: "the reloaded page to resume at comparison 3", timeout: .seconds(60))
                    }
                    let key = Self.keys[(participant * 2 + index) % Self.keys.count]
                    try session.press(key: key.key, code: key.code, keyCode: key.keyCode, text: key.text)
                    given.append(key.choice)
                }
                try session.wait(
                    for: "!document.getElementById('done').hidden && document.getElementById('done-text').textContent.includes('All \(sessionLength) comparisons')",
                    what: "participant \(participant + 1): the thank-you page", timeout: .seconds(60))
                if participant == 0 { try session.screenshot(to: output.appendingPathComponent("study-done.png")) }
                // The next participant: a browser without the stored id.
                _ = try session.evaluate("localStorage.clear(); location.reload(); true")
            }
            let errors = session.pageErrors
            guard errors.isEmpty else { throw failure("the page reported errors: \(errors.joined(separator: "; "))") }
            return given
        }
    }

    /// Both players load their clip by id (a Range request answered 206), no system name is on the page, and
    /// the answer buttons are reachable with Tab.
    private func checkPlayers(_ session: DevToolsSession) throws {
        try session.wait(
            for: "document.getElementById('left-audio').readyState >= 1 && document.getElementById('right-audio').readyState >= 1",
            what: "both players to load metadata", timeout: .seconds(60))
        let probe = try session.evaluate(
            """
            (async () => {
              const left = document.getElementById('left-audio'), right = document.getElementById('right-audio');
              const response = await fetch(left.src, { headers: { Range: 'bytes=0-99' } });
              return { status: response.status, type: response.headers.get('content-type'), length: (await response.arrayBuffer()).byteLength,
                       left: new URL(left.src).pathname, right: new URL(right.src).pathname, durations: [left.duration, right.duration],
                       text: document.body.innerText, buttons: [...document.querySelectorAll('.choices button')].map(b => b.tabIndex) };
            })()
            """) as? [String: Any] ?? [:]
        let paths = [probe["left"] as? String ?? "", probe["right"] as? String ?? ""]
        let text = probe["text"] as? String ?? ""
        guard probe["status"] as? Int == 206, probe["type"] as? String == "audio/wav", probe["length"] as? Int == 100,
            paths.allSatisfy({ $0.hasPrefix("/api/study/clips/") && $0.hasSuffix("/audio") }), paths[0] != paths[1],
            (probe["durations"] as? [Double] ?? []).allSatisfy({ abs($0 - 4) < 0.1 }),
            !text.contains("truth"), !text.contains("tiny-"), (probe["buttons"] as? [Int] ?? []) == [0, 0, 0]
        else { throw failure("the players or the page are not as expected: \(probe)") }
        try session.screenshot(to: output.appendingPathComponent("study-comparison.png"))
    }

    private func failure(_ message: String) -> DevToolsSession.Failure { .init(description: message) }
}
