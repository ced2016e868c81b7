import Foundation

/// Times the named stages of a long job, announces each on standard error as it starts and ends, and
/// keeps the durations (with the stage's item count, for a throughput) for the job's summary table.
public final class StageTimer {
    public struct Stage: Sendable, Equatable {
        public var name: String
        public var seconds: Double
        /// What the stage processed ("clips", "texts", "tracks") and how many, when it says.
        public var items: (count: Int, unit: String)?

        public static func == (left: Stage, right: Stage) -> Bool {
            left.name == right.name && left.seconds == right.seconds && left.items?.count == right.items?.count
                && left.items?.unit == right.items?.unit
        }

        /// Items per second, when the stage counted its items and took measurable time.
        public var throughput: Double? {
            guard let items, seconds > 0 else { return nil }
            return Double(items.count) / seconds
        }
    }

    public private(set) var stages: [Stage] = []
    private let clock = ContinuousClock()
    private let log: (String) -> Void

    /// - Parameter log: where the start and end lines go (standard error by default).
    public init(log: @escaping (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }) {
        self.log = log
    }

    /// Runs `body` as the stage `name`. `items` reads the stage's item count from its result (nil when
    /// the stage did no countable work, e.g. everything was already done).
    @discardableResult
    public func run<Result>(
        _ name: String, items: (Result) -> (count: Int, unit: String)? = { _ in nil }, _ body: () throws -> Result
    ) rethrows -> Result {
        log("== \(name)")
        let start = clock.now
        let result = try body()
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let stage = Stage(name: name, seconds: seconds, items: items(result))
        stages.append(stage)
        var line = "== \(name): \(String(format: "%.1f", seconds)) s"
        if let rate = stage.throughput, let unit = stage.items?.unit { line += String(format: " (%.1f %@/s)", rate, unit) }
        log(line)
        return result
    }

    public var totalSeconds: Double { stages.map(\.seconds).reduce(0, +) }

    /// The stages as a Markdown table: seconds and, where counted, items and items per second.
    public func markdownTable() -> String {
        var lines = ["| stage | seconds | items | per second |", "|---|--:|--:|--:|"]
        for stage in stages {
            let items = stage.items.map { "\($0.count) \($0.unit)" } ?? ""
            let rate = stage.throughput.map { String(format: "%.1f", $0) } ?? ""
            lines.append("| \(stage.name) | \(String(format: "%.1f", stage.seconds)) | \(items) | \(rate) |")
        }
        lines.append("| total | \(String(format: "%.1f", totalSeconds)) | | |")
        return lines.joined(separator: "\n")
    }
}
