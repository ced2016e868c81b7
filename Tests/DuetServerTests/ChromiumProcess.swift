import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Headless Chromium started for one test, with its own profile folder, always stopped by ``stop()``.
final class ChromiumProcess {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The browser binary: `DUET_CHROMIUM`, else `chromium` or `chromium-browser` on the PATH.
    static var executable: URL? {
        if let configured = ProcessInfo.processInfo.environment["DUET_CHROMIUM"], !configured.isEmpty {
            return URL(fileURLWithPath: configured)
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser"] {
                let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            }
        }
        return nil
    }

    let process = Process()
    let profile: URL
    /// The DevTools endpoint: port and browser WebSocket path, read from `DevToolsActivePort`.
    private(set) var devToolsPort = 0
    private(set) var devToolsPath = ""

    init(executable: URL, log: URL) throws {
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("duet-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: log)
        process.executableURL = executable
        process.arguments = [
            "--headless=new", "--remote-debugging-port=0", "--user-data-dir=\(profile.path)", "--no-sandbox",
            "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-background-networking", "--disable-sync", "--disable-component-update",
            "--mute-audio", "--hide-scrollbars", "--window-size=1000,900", "about:blank",
        ]
        process.standardOutput = logHandle
        process.standardError = logHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Waits for the browser to write its DevTools port.
    func waitForDevTools(timeout: Duration) throws {
        let file = profile.appendingPathComponent("DevToolsActivePort")
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw Failure(description: "chromium exited with status \(process.terminationStatus) before DevTools was ready")
            }
            if let text = try? String(contentsOf: file, encoding: .utf8) {
                let lines = text.split(separator: "\n").map(String.init)
                if lines.count >= 2, let port = Int(lines[0]) {
                    devToolsPort = port
                    devToolsPath = lines[1]
                    return
                }
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw Failure(description: "chromium did not open its DevTools port within \(timeout)")
    }

    /// SIGTERM, then SIGKILL after 5 s; the profile folder is removed.
    func stop() {
        process.stop(grace: .seconds(5))
        try? FileManager.default.removeItem(at: profile)
    }
}
