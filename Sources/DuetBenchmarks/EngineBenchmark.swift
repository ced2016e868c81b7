import DuetModel
import DuetNN
import DuetOptim
import DuetRandom
import DuetTensor

/// The training step `make bench-engine` measures: the projection heads Duet trains. Two branches
/// (audio: 40 tokens of width 753; text: 32 tokens of width 384), each linearly projected to 256,
/// a [CLS] token prepended, a 2-layer, 2-head post-norm Transformer encoder (feed-forward 1024,
/// GELU, dropout 0.1), the [CLS] outputs into symmetric InfoNCE (τ = 0.03), backward, AdamW.
/// `Scripts/bench/engine_peer.py` builds the same computation in PyTorch. The sizes default to the
/// default model's (`ModelConfiguration()`).
public struct EngineBenchmark: Sendable {
    public var batch = 256
    public var audioTokens = ModelConfiguration().audioTokenCount
    public var audioWidth = ModelConfiguration().audioWidth
    public var textTokens = 32
    public var textWidth = ModelConfiguration().textWidth
    public var width = ModelConfiguration().embeddingWidth
    public var depth = ModelConfiguration().layerCount
    public var heads = ModelConfiguration().headCount
    public var feedForwardWidth = ModelConfiguration().feedForwardWidth
    public var dropout = ModelConfiguration().dropout
    public var seed: UInt64 = 0

    public init() {}

    /// Timings of one run.
    public struct Report: Sendable, Codable {
        public var threads: Int
        public var warmupSteps: Int
        public var measuredSteps: Int
        public var stepsPerSecond: Double
        public var secondsPerStep: Double
        public var finalLoss: Float
        /// Matrix-product floating-point operations of one step (forward, backward, both branches).
        public var gigaFlopsPerStep: Double
        /// `gigaFlopsPerStep · stepsPerSecond`.
        public var effectiveGigaFlopsPerSecond: Double
        /// A large square sgemm on the same threads, the practical peak.
        public var peakGigaFlopsPerSecond: Double
    }

    /// Multiply-adds ×2 of every matrix product Duet performs in a step: forward `F`, backward
    /// `2F` (the input projections skip the input gradient, so `F` there). The last layer of a
    /// branch computes keys and values for every token but everything else only for [CLS].
    public var gigaFlopsPerStep: Double {
        func branch(tokens: Int, inputWidth: Int) -> Double {
            let rows = Double(batch * (tokens + 1))
            let projection = 2 * Double(batch * tokens) * Double(inputWidth * width) * 2
            let fullLayer = 2 * rows * Double(width) * Double(4 * width + 2 * feedForwardWidth)
                + 2 * 2 * Double(batch) * Double((tokens + 1) * (tokens + 1)) * Double(width)
            let lastLayer = 2 * rows * Double(width) * Double(3 * width)
                + 2 * Double(batch) * Double(width) * Double(width + 2 * feedForwardWidth)
                + 2 * 2 * Double(batch) * Double(tokens + 1) * Double(width)
            return projection + 3 * (Double(depth - 1) * fullLayer + lastLayer)
        }
        return (branch(tokens: audioTokens, inputWidth: audioWidth) + branch(tokens: textTokens, inputWidth: textWidth)) / 1e9
    }

    /// Runs `warmupSteps` untimed and `measuredSteps` timed training steps.
    public func run(warmupSteps: Int = 1, measuredSteps: Int = 3, progress: (String) -> Void = { _ in }) -> Report {
        var generator = SeededGenerator(seed: seed)
        let randomSource = RandomSource(seed: seed + 1)
        let audioBranch = TransformerBranch(
            inputWidth: audioWidth, width: width, depth: depth, heads: heads, feedForwardWidth: feedForwardWidth,
            dropout: dropout, activation: .gelu, randomSource: randomSource, using: &generator)
        let textBranch = TransformerBranch(
            inputWidth: textWidth, width: width, depth: depth, heads: heads, feedForwardWidth: feedForwardWidth,
            dropout: dropout, activation: .gelu, randomSource: randomSource, using: &generator)
        let parameters = audioBranch.namedParameters().map { (name: "audio." + $0.name, parameter: $0.parameter) }
            + textBranch.namedParameters().map { (name: "text." + $0.name, parameter: $0.parameter) }
        let optimizer = AdamW(parameters: parameters, learningRate: 1e-4, weightDecay: 0.01)
        let loss = InfoNCELoss(temperature: 0.03)
        let audio = Tensor.randomNormal([batch, audioTokens, audioWidth], using: &generator)
        let text = Tensor.randomNormal([batch, textTokens, textWidth], using: &generator)

        func step() -> Float {
            for (_, parameter) in parameters { parameter.zeroGradient() }
            let value = loss(audio: audioBranch(audio), text: textBranch(text))
            value.backward()
            optimizer.update()
            return value.scalar
        }
        let (seconds, lastLoss) = StepTimer.time(warmupSteps: warmupSteps, measuredSteps: measuredSteps, progress: progress, step)
        let flops = gigaFlopsPerStep
        return Report(
            threads: Parallelism.threadCount, warmupSteps: warmupSteps, measuredSteps: measuredSteps,
            stepsPerSecond: 1 / seconds, secondsPerStep: seconds, finalLoss: lastLoss,
            gigaFlopsPerStep: flops, effectiveGigaFlopsPerSecond: flops / seconds,
            peakGigaFlopsPerSecond: Self.peakSgemm())
    }

    /// GFLOP/s of a 2048³ sgemm (best of three), the practical peak of this machine's BLAS.
    public static func peakSgemm(size: Int = 2048) -> Double {
        var generator = SeededGenerator(seed: 9)
        let a = (0..<(size * size)).map { _ in generator.nextUniform() }
        let b = (0..<(size * size)).map { _ in generator.nextUniform() }
        var c = [Float](repeating: 0, count: size * size)
        let clock = ContinuousClock()
        var best = Double.infinity
        for _ in 0..<3 {
            let start = clock.now
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        sgemm(a.baseAddress!, b.baseAddress!, c.baseAddress!, m: size, n: size, k: size)
                    }
                }
            }
            best = min(best, (clock.now - start).seconds)
        }
        return 2 * Double(size * size * size) / best / 1e9
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
