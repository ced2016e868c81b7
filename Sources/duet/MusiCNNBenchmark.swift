import ArgumentParser
import DuetEncoders
import DuetRandom
import DuetTensor
import Foundation

/// Times musicnn inference on seeded random log-mel patches: the Duet half of `make bench-musicnn`.
struct MusiCNNBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-musicnn",
        abstract: "Measure musicnn inference throughput (patches per second) on random 3-s log-mel patches.")

    @Option(help: "musicnn model: MTT_musicnn or MSD_musicnn.") var model: MusiCNNModel = .magnaTagATune
    @Option(help: "Patches per forward call.") var batch = 8
    @Option(help: "Timed forward calls (after one warm-up call).") var repeats = 4
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let network = try MusiCNN(model)
        var generator = SeededGenerator(seed: 42)
        let size = network.configuration.frameCount * network.configuration.melBandCount
        // log10(10000 x + 1) of typical mel power lies in [0, 4]; uniform values exercise the same ranges.
        let patches = (0..<batch).map { _ in (0..<size).map { _ in 3 * generator.nextUniform() } }
        _ = network.tagProbabilities(patches)
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<repeats { _ = network.tagProbabilities(patches) }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Double(batch * repeats) / seconds
        if json {
            print(#"{"model":"\#(model.rawValue)","threads":\#(Parallelism.threadCount),"patches":\#(batch * repeats),"seconds":\#(seconds),"patches_per_second":\#(rate)}"#)
        } else {
            print("bench-musicnn duet: \(model.rawValue), \(Parallelism.threadCount) threads, \(batch * repeats) patches in \(String(format: "%.3f", seconds)) s, \(String(format: "%.2f", rate)) patches/s")
        }
    }
}

extension MusiCNNModel: ExpressibleByArgument {}
