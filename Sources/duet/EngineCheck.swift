import ArgumentParser
import DuetRandom
import DuetTensor

/// Runs a tiny computation through the engine so a fresh install can prove that BLAS links and runs.
struct EngineCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine-check", abstract: "Multiply two random matrices on OpenBLAS and print the timing.")

    @Option(help: "Matrix size.") var size = 512

    func run() throws {
        var generator = SeededGenerator(seed: 0)
        let a = Tensor.randomNormal([size, size], using: &generator)
        let b = Tensor.randomNormal([size, size], using: &generator)
        let clock = ContinuousClock()
        let start = clock.now
        let product = withoutGradient { Tensor.matmul(a, b) }
        let seconds = Double((clock.now - start).components.attoseconds) / 1e18 + Double((clock.now - start).components.seconds)
        let gflops = 2 * Double(size * size * size) / seconds / 1e9
        print("engine-check: \(size)x\(size) sgemm on \(Parallelism.threadCount) threads, \(String(format: "%.1f", gflops)) GFLOP/s, checksum \(product.storage.reduce(0, +))")
    }
}
