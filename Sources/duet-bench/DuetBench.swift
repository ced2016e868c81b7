import ArgumentParser
import DuetBenchmarks
import DuetTensor
import Foundation

/// Engine benchmarks; `Scripts/bench/engine.sh` (make bench-engine) runs them next to PyTorch.
@main
struct DuetBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duet-bench", abstract: "Benchmarks of Duet's engine.", subcommands: [Engine.self])

    struct Engine: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time the two-branch Transformer training step (batch 256, InfoNCE, backward, AdamW).")

        @Option(help: "Untimed warm-up steps.") var warmup = 1
        @Option(help: "Timed steps.") var steps = 3
        @Option(help: "Batch size.") var batch = 256
        @Flag(help: "Print the report as JSON.") var json = false

        func run() throws {
            var benchmark = EngineBenchmark()
            benchmark.batch = batch
            let report = benchmark.run(warmupSteps: warmup, measuredSteps: steps) { message in
                FileHandle.standardError.write(Data("duet: \(message)\n".utf8))
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print(String(format: "duet engine: %.3f steps/s (%.2f s/step) on %d threads, %.1f GFLOP/step, %.1f GFLOP/s effective, sgemm peak %.1f GFLOP/s",
                             report.stepsPerSecond, report.secondsPerStep, report.threads, report.gigaFlopsPerStep,
                             report.effectiveGigaFlopsPerSecond, report.peakGigaFlopsPerSecond))
            }
        }
    }
}
