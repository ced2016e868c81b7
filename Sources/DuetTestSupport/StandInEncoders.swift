import DuetAudio
import DuetEncoders
import DuetRandom
import Foundation

/// A stand-in for MiniLM or e5 in tests that must run without weights: every word (lower-cased, split at
/// anything but letters and digits) gets a fixed pseudo-random state seeded by the word's stable hash,
/// framed by `[CLS]` and `[SEP]` states. Texts sharing words share states, so a model trained on it can
/// learn; nothing about it is a language model.
public struct StandInTextEncoder: LockedTextEncoder {
    public let hiddenSize: Int

    public init(hiddenSize: Int = 32) {
        self.hiddenSize = hiddenSize
    }

    public func tokenStatesPerText(_ texts: [String], progress: ((Int, Int) -> Void)?) throws -> [[Float]] {
        var result: [[Float]] = []
        for (index, text) in texts.enumerated() {
            let words = text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
            result.append((["[CLS]"] + words + ["[SEP]"]).flatMap(state))
            progress?(index + 1, texts.count)
        }
        return result
    }

    func state(_ token: String) -> [Float] {
        var generator = SeededGenerator(seed: stableHash(token))
        return (0..<hiddenSize).map { _ in generator.nextNormal() }
    }
}

/// A stand-in for musicnn in tests that must run without weights: the clip's log-mel spectrogram
/// (musicnn's front end), each frame's 96 bands projected by a fixed seeded matrix to musicnn's layer
/// widths (561 + 3 × 64), in patches of 187 frames, and 50 "tag probabilities" from a fixed projection of
/// the patch's mean spectrum. Sounds that differ in timbre get different features; nothing is learnt.
public struct StandInAudioEncoder: LockedAudioEncoder {
    public let tags: [String]
    public let sampleRate = LogMelConfiguration.musicnn.sampleRate
    public let layerWidths: [Int]
    /// `[frameWidth, bands]` and `[tags, bands]`, row-major.
    private let frameProjection: [Float]
    private let tagProjection: [Float]
    private static let bandCount = LogMelConfiguration.musicnn.melBandCount

    /// - Parameter tags: tag names (musicnn's MagnaTagATune names are a good choice for zero-shot tests).
    public init(tags: [String], layerWidths: [Int] = [561, 64, 64, 64], seed: UInt64 = 7) {
        self.tags = tags
        self.layerWidths = layerWidths
        var generator = SeededGenerator(seed: seed)
        let scale = 1 / Float(Self.bandCount).squareRoot()
        frameProjection = (0..<(layerWidths.reduce(0, +) * Self.bandCount)).map { _ in generator.nextNormal() * scale }
        tagProjection = (0..<(tags.count * Self.bandCount)).map { _ in generator.nextNormal() * scale }
    }

    public func analyse(
        samples source: (_ sink: ([Float]) throws -> Void) throws -> Void, batchSize: Int,
        _ body: (MusiCNNPatchFeatures) throws -> Void
    ) throws {
        let configuration = LogMelConfiguration.musicnn
        let stream = MelSpectrogramStream(configuration: configuration)
        var power: [Float] = []
        try source { power += stream.append($0) }
        power += stream.finish()
        let spectrogram = LogMelSpectrogram(compressing: power, configuration: configuration)
        guard spectrogram.frameCount > 0 else { throw AudioError.empty(file: "stand-in audio encoder input") }
        let bands = Self.bandCount
        let patch = configuration.patchFrameCount
        for start in stride(from: 0, to: spectrogram.frameCount, by: patch) {
            let frames = min(patch, spectrogram.frameCount - start)
            var layers = layerWidths.map { [Float](repeating: 0, count: frames * $0) }
            var mean = [Float](repeating: 0, count: bands)
            for frame in 0..<frames {
                let spectrum = spectrogram.values[((start + frame) * bands)..<((start + frame + 1) * bands)]
                for (band, value) in spectrum.enumerated() { mean[band] += value / Float(frames) }
                var channel = 0
                for (layer, width) in layerWidths.enumerated() {
                    for column in 0..<width {
                        var sum: Float = 0
                        let row = channel * bands
                        for (band, value) in spectrum.enumerated() { sum += frameProjection[row + band] * value }
                        layers[layer][frame * width + column] = max(0, sum)
                        channel += 1
                    }
                }
            }
            let probabilities = (0..<tags.count).map { tag in
                var sum: Float = 0
                for band in 0..<bands { sum += tagProjection[tag * bands + band] * mean[band] }
                return 1 / (1 + exp(-sum))
            }
            try body(MusiCNNPatchFeatures(
                frameCount: frames, frontEnd: layers[0], midEnd: Array(layers.dropFirst()), maxPool: [], meanPool: [],
                penultimate: [], tagProbabilities: probabilities))
        }
    }
}
