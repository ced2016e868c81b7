import ArgumentParser
import DuetBenchmarks
import DuetServer
import DuetTensor
import Foundation

/// Engine benchmarks; `Scripts/bench/engine.sh` (make bench-engine) and `Scripts/bench/scratch.sh`
/// (make bench-scratch) run them next to PyTorch. `serve-fixture` is the server that
/// `Scripts/bench/load.sh` (make bench-serve) loads with wrk; `checkpoint` writes the untrained model that
/// `Scripts/bench/index.sh` (make bench-index) and the load test over the real `duet serve` index with.
@main
struct DuetBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duet-bench", abstract: "Benchmarks of Duet's engine.",
        subcommands: [Engine.self, Scratch.self, ServeFixture.self, Checkpoint.self])

    /// The options every step benchmark takes.
    struct StepOptions: ParsableArguments {
        @Option(help: "Untimed warm-up steps.") var warmup = 1
        @Option(help: "Timed steps.") var steps = 3
        @Option(help: "Batch size (default: the benchmark's own).") var batch: Int?
        @Flag(help: "Print the report as JSON.") var json = false

        func log(_ message: String) { FileHandle.standardError.write(Data("duet: \(message)\n".utf8)) }

        /// Prints `report` as one JSON line, or `summary` when JSON was not asked for.
        func emit<Report: Encodable>(_ report: Report, summary: String) throws {
            guard json else { print(summary); return }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        }
    }

    struct Engine: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time the two-branch Transformer training step (batch 256, InfoNCE, backward, AdamW).")
        @OptionGroup var options: StepOptions

        func run() throws {
            var benchmark = EngineBenchmark()
            if let batch = options.batch { benchmark.batch = batch }
            let report = benchmark.run(warmupSteps: options.warmup, measuredSteps: options.steps, progress: options.log)
            try options.emit(report, summary: String(
                format: "duet engine: %.3f steps/s (%.2f s/step) on %d threads, %.1f GFLOP/step, %.1f GFLOP/s effective, sgemm peak %.1f GFLOP/s",
                report.stepsPerSecond, report.secondsPerStep, report.threads, report.gigaFlopsPerStep,
                report.effectiveGigaFlopsPerSecond, report.peakGigaFlopsPerSecond))
        }
    }

    struct Scratch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time the from-scratch CNN's training step on log-mel (batch 64 x 128 frames x 96 bands, backward, AdamW).")
        @OptionGroup var options: StepOptions

        func run() throws {
            var benchmark = ScratchEncoderBenchmark()
            if let batch = options.batch { benchmark.batch = batch }
            let report = benchmark.run(warmupSteps: options.warmup, measuredSteps: options.steps, progress: options.log)
            try options.emit(report, summary: String(
                format: "duet scratch CNN: %.3f steps/s (%.2f s/step, %.1f clips/s) on %d threads",
                report.stepsPerSecond, report.secondsPerStep, report.clipsPerSecond, report.threads))
        }
    }

    struct Checkpoint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a seeded, untrained DuET-MC checkpoint (the demo's shapes) for the index and serve benchmarks.")
        @Option(help: "Checkpoint folder to write.") var out: String
        @Flag(help: "The from-scratch log-mel CNN instead of musicnn features.") var fromScratch = false
        @Option(help: "Initialisation seed.") var seed: UInt64 = 0

        func run() throws {
            let folder = try UntrainedCheckpoint.write(to: URL(fileURLWithPath: out, isDirectory: true), fromScratch: fromScratch, seed: seed)
            print("untrained checkpoint: \(folder.path)")
        }
    }

    struct ServeFixture: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve-fixture",
            abstract: "Serve a generated in-memory catalogue on loopback for the load test (not the real library).")
        @Option(help: "Generated tracks.") var tracks = 10_000
        @Option(help: "TCP port on 127.0.0.1; 0 picks a free one.") var port = 0

        func run() async throws {
            guard tracks > 0 else { throw ValidationError("--tracks must be positive") }
            let service = ServerLoadCatalogue.service(count: tracks)
            let count = tracks
            try await runServer(configuration: ServerConfiguration(host: "127.0.0.1", port: port), service: service) { bound in
                // Written unbuffered: Scripts/bench/load.sh waits for this line.
                FileHandle.standardOutput.write(Data("listening on http://127.0.0.1:\(bound) tracks=\(count) service=in-memory\n".utf8))
            }
        }
    }
}
