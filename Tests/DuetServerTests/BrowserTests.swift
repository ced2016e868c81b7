import DuetServer
import Foundation
import Testing

/// The page in headless Chromium against the real server on a loopback port: type a query, press Enter,
/// get results with playable audio, follow "more like this", take screenshots. Runs whenever chromium is
/// installed (`make setup` installs it); without it the test is skipped, except under CI, where it must run.
@Suite(.serialized) struct BrowserTests {
    static var shouldRun: Bool {
        ChromiumProcess.executable != nil || ProcessInfo.processInfo.environment["CI"] != nil
    }

    @Test(.enabled(if: BrowserTests.shouldRun, "chromium is not installed (make setup installs Debian's chromium); CI requires it"))
    func searchPlayAndMoreLikeThis() async throws {
        guard let executable = ChromiumProcess.executable else {
            Issue.record("CI is set but chromium is not installed: run Scripts/setup.sh (Debian package chromium)")
            return
        }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("duet-browser-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        print("browser test output (screenshots, chromium log): \(output.path)")
        let library = try TestLibrary()
        defer { library.remove() }
        try await withLoopbackServer(service: library.service) { port in
            try await onOwnThread {
                try BrowserScenario(executable: executable, serverPort: port, output: output).run()
            }
        }
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("search.png").path))
    }
}

/// The steps, run synchronously on one thread that owns the browser and the DevTools connection.
struct BrowserScenario {
    let executable: URL
    let serverPort: Int
    let output: URL

    func run() throws {
        try DevToolsSession.withPage(executable: executable, output: output, url: "http://127.0.0.1:\(serverPort)/") { session in
            try session.wait(for: "document.readyState === 'complete' && document.activeElement && document.activeElement.id === 'query'", what: "the page to load with the search box focused")
            try session.wait(for: "document.getElementById('footer').textContent.includes('5 tracks')", what: "the library size in the footer")

            // Type the query into the focused box and press Enter, as a user would.
            try session.typeAndPressEnter("slow piano")
            try session.wait(for: "document.querySelectorAll('#results .result').length === 5", what: "five result rows")
            let firstTitle = try session.evaluate("document.querySelector('#results .result .title').textContent") as? String
            guard firstTitle == "Slow Piano Evening" else { throw failure("the first result is \(firstTitle ?? "missing")") }

            // The first row's player loads its source through the audio route (metadata: a range request).
            try session.wait(for: "document.querySelector('#results audio').readyState >= 1", what: "the audio element to load metadata")
            let probe = try session.evaluate(
                """
                (async () => {
                  const audio = document.querySelector('#results audio');
                  const response = await fetch(audio.src, { headers: { Range: 'bytes=0-99' } });
                  return { status: response.status, type: response.headers.get('content-type'), length: (await response.arrayBuffer()).byteLength,
                           canPlay: audio.canPlayType('audio/wav'), duration: audio.duration, error: audio.error ? audio.error.code : 0 };
                })()
                """) as? [String: Any] ?? [:]
            guard probe["status"] as? Int == 206, probe["type"] as? String == "audio/wav", probe["length"] as? Int == 100,
                (probe["canPlay"] as? String ?? "") != "", probe["error"] as? Int == 0,
                let duration = probe["duration"] as? Double, abs(duration - 1.0) < 0.05
            else { throw failure("the audio source is not playable: \(probe)") }
            try screenshot(session, "search.png")

            // "More like this" on the first result, with a real mouse click.
            let point = try session.evaluate(
                """
                (() => { const button = document.querySelector('#results .result .more'); button.scrollIntoView({block: 'center'});
                         const r = button.getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; })()
                """) as? [String: Any] ?? [:]
            guard let x = point["x"] as? Double, let y = point["y"] as? Double else { throw failure("no 'More like this' button") }
            for type in ["mouseMoved", "mousePressed", "mouseReleased"] {
                try session.call("Input.dispatchMouseEvent", ["type": type, "x": x, "y": y, "button": "left", "clickCount": 1])
            }
            try session.wait(
                for: "document.getElementById('results-title').textContent.startsWith('More like') && document.querySelectorAll('#results .result').length === 4",
                what: "the 'more like this' results")
            let similarFirst = try session.evaluate("document.querySelector('#results .result .title').textContent") as? String
            guard similarFirst == "Rainy Piano Study" else { throw failure("the first similar track is \(similarFirst ?? "missing")") }
            try session.call("Runtime.evaluate", ["expression": "window.scrollTo(0, 0)"])
            try screenshot(session, "more-like-this.png")

            // A narrow phone-sized screen.
            try session.setViewport(width: 390, height: 844, mobile: true)
            try session.wait(for: "document.documentElement.scrollWidth <= 390", what: "the page to fit a 390 px screen")
            try screenshot(session, "narrow.png")

            let errors = session.pageErrors
            guard errors.isEmpty else { throw failure("the page reported errors: \(errors.joined(separator: "; "))") }
        }
    }


    private func screenshot(_ session: DevToolsSession, _ name: String) throws {
        try session.screenshot(to: output.appendingPathComponent(name))
    }

    private func failure(_ message: String) -> DevToolsSession.Failure { .init(description: message) }
}

/// Runs the server on 127.0.0.1 and a free port around `body`, which gets the port.
func withLoopbackServer<Value: Sendable>(
    service: some SearchService, token: String? = nil, _ body: @escaping @Sendable (Int) async throws -> Value
) async throws -> Value {
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let application = try buildApplication(
        configuration: ServerConfiguration(host: "127.0.0.1", port: 0, token: token), service: service,
        onListening: { continuation.yield($0) })
    return try await withThrowingTaskGroup(of: Value?.self) { group in
        group.addTask {
            defer { continuation.finish() }
            try await application.runService(gracefulShutdownSignals: [])
            return nil
        }
        group.addTask {
            // Ends the wait for the port if the server never listens.
            try? await Task.sleep(for: .seconds(30))
            continuation.finish()
            return nil
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            group.cancelAll()
            throw DevToolsSession.Failure(description: "the server did not start listening on 127.0.0.1 within 30 s")
        }
        defer { group.cancelAll() }
        return try await body(port)
    }
}

/// Runs blocking work on its own thread so it never holds one of the few cooperative threads the
/// in-process server needs.
func onOwnThread<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
