import DuetWeights
import Foundation

/// What one epoch of training measured; one line of `metrics.jsonl`.
public struct EpochMetrics: Codable, Sendable, Equatable {
    public var epoch: Int
    public var step: Int
    public var trainLoss: Double
    public var validLoss: Double
    /// Validation text-to-music R@10 (percent) with the held-out captions.
    public var validRecallAt10: Double
    public var learningRate: Double
    public var textSwapProbability: Double
    public var hardNegativeCount: Int
    public var seconds: Double
}

/// The run's metrics: `metrics.jsonl` (one `EpochMetrics` per line) and `curves.svg` (loss and
/// validation R@10 against epoch), rewritten after every epoch.
public enum MetricsLog {
    public static func write(_ history: [EpochMetrics], to folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let lines = try history.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        try AtomicFile.write(Data((lines.joined(separator: "\n") + "\n").utf8), to: folder.appendingPathComponent("metrics.jsonl"))
        let epochs = history.map { Double($0.epoch) }
        let loss = LineChart(title: "InfoNCE loss", xLabel: "epoch", yLabel: "loss", series: [
            .init(name: "train", points: Array(zip(epochs, history.map(\.trainLoss))).map { (x: $0.0, y: $0.1) }),
            .init(name: "valid", points: Array(zip(epochs, history.map(\.validLoss))).map { (x: $0.0, y: $0.1) }),
        ])
        let recall = LineChart(title: "Validation text-to-music R@10", xLabel: "epoch", yLabel: "R@10 (%)", series: [
            .init(name: "valid R@10", points: Array(zip(epochs, history.map(\.validRecallAt10))).map { (x: $0.0, y: $0.1) }),
        ])
        try AtomicFile.write(Data(loss.svg().utf8), to: folder.appendingPathComponent("loss.svg"))
        try AtomicFile.write(Data(recall.svg().utf8), to: folder.appendingPathComponent("recall.svg"))
    }
}
