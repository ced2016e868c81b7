import DuetModel
import DuetNN
import DuetOptim
import DuetRandom
import DuetTensor

/// The training step `make bench-scratch` measures: the from-scratch audio encoder
/// (`ConvolutionalAudioEncoder`, channels 16-32-64-128) on a batch of log-mel spectrograms
/// `[batch, 128, 96]`, its 16 tokens averaged into one vector per clip, InfoNCE (τ = 0.03) against
/// fixed random 128-d targets, backward, AdamW. Only the CNN is timed: the Transformer heads after
/// it are what `make bench-engine` measures. `Scripts/bench/scratch_peer.py` builds the same
/// computation in PyTorch.
public struct ScratchEncoderBenchmark: Sendable {
    public var batch = 64
    public var frames = ModelConfiguration.fromScratch.logMelFrameCount
    public var bands = ModelConfiguration.fromScratch.logMelBandCount
    public var channels = ModelConfiguration.fromScratch.convolutionChannels
    public var seed: UInt64 = 0

    public init() {}

    public struct Report: Sendable, Codable {
        public var threads: Int
        public var batch: Int
        public var measuredSteps: Int
        public var stepsPerSecond: Double
        public var secondsPerStep: Double
        public var clipsPerSecond: Double
        public var finalLoss: Float
    }

    public func run(warmupSteps: Int = 1, measuredSteps: Int = 3, progress: (String) -> Void = { _ in }) -> Report {
        var generator = SeededGenerator(seed: seed)
        let encoder = ConvolutionalAudioEncoder(frameCount: frames, bandCount: bands, channels: channels, using: &generator)
        let optimizer = AdamW(parameters: encoder.namedParameters(), learningRate: 1e-4, weightDecay: 0.01)
        let loss = InfoNCELoss(temperature: 0.03)
        // Log-mel-like input: positive, around musicnn's log10(1 + 10000 x) range.
        let logMel = Tensor.randomUniform([batch, frames, bands], lower: 0, upper: 4, using: &generator)
        let targets = Tensor.randomNormal([batch, channels.last!], using: &generator)

        func step() -> Float {
            encoder.zeroGradients()
            let clips = encoder(logMel).mean(axes: [1])
            let value = loss(audio: clips, text: targets)
            value.backward()
            optimizer.update()
            return value.scalar
        }
        let (seconds, lastLoss) = StepTimer.time(warmupSteps: warmupSteps, measuredSteps: measuredSteps, progress: progress, step)
        return Report(
            threads: Parallelism.threadCount, batch: batch, measuredSteps: measuredSteps, stepsPerSecond: 1 / seconds,
            secondsPerStep: seconds, clipsPerSecond: Double(batch) / seconds, finalLoss: lastLoss)
    }
}
