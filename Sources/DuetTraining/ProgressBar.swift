import Foundation

/// A one-line progress bar on standard error, redrawn at most ten times a second:
/// `label [#########.........] 45/100  12.3/s  eta 4s  loss 3.21`.
///
/// When standard error is not a terminal (CI logs, pipes) it prints a plain line every 10% instead
/// of redrawing, so logs stay readable.
public final class ProgressBar: @unchecked Sendable {
    public let label: String
    public let total: Int
    private var completed = 0
    private var detail = ""
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var lastReportedTenth = -1
    private let interactive: Bool
    private let lock = NSLock()
    private let enabled: Bool

    private let output: @Sendable (String) -> Void

    public convenience init(label: String, total: Int, enabled: Bool = true) {
        self.init(
            label: label, total: total, enabled: enabled, interactive: isatty(FileHandle.standardError.fileDescriptor) == 1,
            output: { FileHandle.standardError.write(Data($0.utf8)) })
    }

    /// A bar writing to `output`, redrawn in place when `interactive` (tests use this).
    init(label: String, total: Int, enabled: Bool = true, interactive: Bool, output: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.total = max(0, total)
        self.enabled = enabled
        self.interactive = interactive
        self.output = output
    }

    /// Marks `count` more units done; `detail` replaces the trailing text (e.g. the loss).
    public func advance(by count: Int = 1, detail: String? = nil) {
        lock.withLock {
            completed = min(total, completed + count)
            if let detail { self.detail = detail }
            draw(force: completed == total)
        }
    }

    /// Sets the number of units done (for callers that report running totals).
    public func update(completed count: Int, detail: String? = nil) {
        lock.withLock {
            completed = min(total, max(completed, count))
            if let detail { self.detail = detail }
            draw(force: completed == total)
        }
    }

    /// Ends the bar with a newline and the elapsed time.
    public func finish(detail: String? = nil) {
        lock.withLock {
            if let detail { self.detail = detail }
            completed = total
            // A log gets the final line too, unless the 100% line is already there and nothing is new.
            if detail != nil || lastReportedTenth < 10 { lastReportedTenth = -1 }
            draw(force: true)
            if enabled && interactive { output("\n") }
        }
    }

    public var elapsedSeconds: Double { Date().timeIntervalSince(start) }

    private func draw(force: Bool) {
        guard enabled else { return }
        let now = Date()
        let fraction = total == 0 ? 1 : Double(completed) / Double(total)
        if interactive {
            guard force || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        } else {
            let tenth = Int(fraction * 10)
            guard tenth > lastReportedTenth else { return }
            lastReportedTenth = tenth
        }
        lastDraw = now
        let width = 24
        let filled = Int(fraction * Double(width))
        let elapsed = now.timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(completed) / elapsed : 0
        let remaining = rate > 0 ? Double(total - completed) / rate : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        var line = "\(label) [\(bar)] \(completed)/\(total)  \(Self.format(rate))/s  "
        line += completed == total ? "\(Self.duration(elapsed))" : "eta \(Self.duration(remaining))"
        if !detail.isEmpty { line += "  \(detail)" }
        output(interactive ? "\r\u{1B}[K" + line : line + "\n")
    }

    static func format(_ rate: Double) -> String {
        rate >= 100 ? String(Int(rate)) : String(format: "%.1f", rate)
    }

    static func duration(_ seconds: Double) -> String {
        seconds < 60 ? String(format: "%.0fs", seconds) : String(format: "%dm%02ds", Int(seconds) / 60, Int(seconds) % 60)
    }
}
