import DuetData
import DuetEncoders
import DuetFeatures
import DuetModel
import DuetPipeline
import DuetRetrieval
import DuetSynth
import DuetTestSupport
import DuetTraining
import Foundation
import Testing

/// DuET-MC on the paper's audio encoders read from weights folders (MERT, HTS-AT), end to end on a small
/// rendered corpus: the real loaders and networks on the tiny random checkpoints of their parity tests
/// (`TinyAudioEncoderFolders`) with the tiny CLIP-T tower (`TinyTextEncoderFolders`), so it runs without any
/// downloaded weights. musicnn is the stand-in (the zero-shot baseline's tags only).
@Suite("Folder audio encoders end to end")
struct FolderAudioEncoderPipelineTests {
    /// The tiny fixtures' layers: MERT's 3 hidden states of 32; HTS-AT's stages 2 · 8, 2 · 16 and the last 32.
    static let layerWidths: [AudioEncoderKind: [Int]] = [.mert: [32, 32, 32], .htsat: [16, 32, 32]]
    static let tokenCount = 8

    static func smallConfiguration(
        _ kind: AudioEncoderKind, audioWeights: URL, text: TextEncoderKind = .clipText, textWeights: URL
    ) -> TrainingConfiguration {
        var configuration = FolderTextEncoderPipelineTests.smallConfiguration(text, weights: textWeights)
        configuration.audioEncoder = kind
        configuration.audioEncoderWeights = audioWeights.path
        configuration.audioTokenCount = tokenCount
        return configuration
    }

    static func standInEncoders(audioEncoderWeightsOverride: URL? = nil) -> Encoders {
        let tags = MusiCNNModel.magnaTagATune.tags
        return Encoders(audio: { StandInAudioEncoder(tags: tags) }, audioEncoderWeightsOverride: audioEncoderWeightsOverride)
    }

    static func corpus(in folder: URL, seed: UInt64) throws -> URL {
        let data = folder.appendingPathComponent("corpus")
        _ = try CorpusWriter.write(.init(count: 24, seed: seed, seconds: 3.5, directory: data)) { _, _ in }
        return data.appendingPathComponent("manifest.jsonl")
    }

    /// Every pair of the paper's Figure 2: MERT and HTS-AT, each with CLIP-T, RoBERTa, T5 and mT5.
    @Test(arguments: [TextEncoderKind.clipText, .roberta, .t5, .mt5])
    func eachEncoderTrainsEvaluatesAndIsRecordedInTheCheckpoint(text: TextEncoderKind) throws {
        let folder = try SearchFixtures.temporaryFolder("folder-audio-\(text.rawValue)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifestURL = try Self.corpus(in: folder, seed: 9)
        let textWeights = try TinyTextEncoderFolders.write(text, into: folder.appendingPathComponent(text.rawValue))

        for kind in [AudioEncoderKind.mert, .htsat] {
            let widths = try #require(Self.layerWidths[kind])
            let audioWeights = try TinyAudioEncoderFolders.write(kind, into: folder.appendingPathComponent("weights-\(kind.rawValue)"))
            let configuration = Self.smallConfiguration(kind, audioWeights: audioWeights, text: text, textWeights: textWeights)
            let training = Self.standInEncoders()
            let audioKind = try configuration.audioFeatureKind(encoders: training)
            #expect(audioKind.shape == [Self.tokenCount, widths.reduce(0, +)], "\(kind)")
            let dataset = try PreparedDataset.load(
                manifestURL: manifestURL, splits: [.train, .valid, .test], audioFeatures: [audioKind], encoders: training,
                showsProgress: false)
            #expect(dataset.failures.isEmpty, "\(dataset.failures)")
            for entry in dataset.entries.prefix(3) {
                let features = try dataset.audioFeatures(of: entry, kind: audioKind)
                #expect(features.count == Self.tokenCount * widths.reduce(0, +) && features.allSatisfy(\.isFinite), "\(kind)")
            }

            let model = try WeightsFolderChecks.trainBriefly(
                configuration, dataset: dataset, encoders: training, runFolder: folder.appendingPathComponent("run-\(kind.rawValue)"))

            // The checkpoint records the kind, the absolute folder, its fingerprint and the encoder's layer widths.
            let resolved = try training.resolve(AudioEncoderSelection(kind: kind, weightsFolder: audioWeights.path))
            let fingerprint = try #require(resolved.weightsFingerprint)
            #expect(model.configuration.audioEncoderKind == kind && model.configuration.audioLayerWidths == widths, "\(kind)")
            #expect(model.configuration.audioEncoderWeights == audioWeights.standardizedFileURL.path, "\(kind)")
            #expect(model.configuration.audioEncoderWeightsFingerprint == fingerprint, "\(kind)")
            #expect(model.configuration.audioEncoder.version == fingerprint && model.configuration.audioEncoder.name == kind.displayName)
            #expect(model.audioAggregator?.mixing == kind.layerMixing, "\(kind)")
            #expect(model.audioAggregator?.outputWidth == (kind == .mert ? 32 : 80), "MERT's states summed, HTS-AT's stages side by side")
            #expect(AudioFeatureKind(model: model.configuration) == audioKind, "evaluation reads the features training cached")

            // Evaluation with fresh encoders (a new process) checks the recorded folder and reads the cache.
            let again = try PreparedDataset.load(
                manifestURL: manifestURL, splits: [.test], audioFeatures: [AudioFeatureKind(model: model.configuration)],
                encoders: Self.standInEncoders(), showsProgress: false)
            var evaluation = RetrievalEvaluation()
            evaluation.showsProgress = false
            let summary = try evaluation.evaluate(model: model, dataset: again, encoders: FolderTextEncoderPipelineTests.standInEncoders())
            #expect(summary.queryCount > 0 && summary.mean.medianRank >= 1, "\(kind) + \(text)")
            #expect((0...100).contains(summary.mean.recallAt10), "\(kind) + \(text)")
            #expect(model.configuration.textEncoderKind == text, "\(kind) + \(text)")
        }
    }

    /// A moved folder is found again through `--audio-encoder-weights`; a changed one is refused, naming the
    /// folder and where it came from; a missing folder or file names the path and the setting.
    @Test func aCheckpointReadsOnlyTheAudioWeightsItWasTrainedWith() throws {
        let folder = try SearchFixtures.temporaryFolder("folder-audio-change")
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifestURL = try Self.corpus(in: folder, seed: 4)
        let textWeights = try TinyTextEncoderFolders.write(.clipText, into: folder.appendingPathComponent("clip-text"))
        let weights = try TinyAudioEncoderFolders.write(.mert, into: folder.appendingPathComponent("mert"))
        let configuration = Self.smallConfiguration(.mert, audioWeights: weights, textWeights: textWeights)
        let training = Self.standInEncoders()
        let audioKind = try configuration.audioFeatureKind(encoders: training)
        let dataset = try PreparedDataset.load(
            manifestURL: manifestURL, splits: [.train, .valid, .test], audioFeatures: [audioKind], encoders: training, showsProgress: false)
        let model = try WeightsFolderChecks.trainBriefly(configuration, dataset: dataset, encoders: training, runFolder: folder.appendingPathComponent("run"))
        let kind = AudioFeatureKind(model: model.configuration)
        func load(_ encoders: Encoders) throws -> PreparedDataset {
            try PreparedDataset.load(manifestURL: manifestURL, splits: [.test], audioFeatures: [kind], encoders: encoders, showsProgress: false)
        }

        // Moved: the recorded folder is gone, the override finds the same files (and the cached features).
        let moved = folder.appendingPathComponent("elsewhere")
        try FileManager.default.moveItem(at: weights, to: moved)
        #expect { try load(Self.standInEncoders()) } throws: { error in
            let message = (error as? LocalizedError)?.errorDescription ?? ""
            return message.contains(weights.standardizedFileURL.path) && message.contains("audioEncoderWeights") && message.contains("does not exist")
        }
        let found = try load(Self.standInEncoders(audioEncoderWeightsOverride: moved))
        #expect(found.entries.count == dataset.entries(in: .test).count)

        // Changed, incomplete, or not named at all.
        try WeightsFolderChecks.expectRefusals(
            AudioEncoderWeightsFolder.self, kind: .mert, folder: moved, recorded: model.configuration.audioEncoderWeightsFingerprint,
            file: "model.safetensors", encoders: { Self.standInEncoders() }, useOverride: { _ = try load(Self.standInEncoders(audioEncoderWeightsOverride: moved)) })
        // A configuration without a folder is invalid.
        var unnamed = TrainingConfiguration()
        unnamed.audioEncoder = .htsat
        #expect { try unnamed.validate() } throws: { error in
            let message = (error as? LocalizedError)?.errorDescription ?? ""
            return message.contains("audioEncoderWeights") && message.contains("htsat")
        }
    }

    /// Clips longer than the window run as the fewest equal chunks, none a sliver.
    @Test func longClipsAreCutIntoEqualChunks() {
        #expect(AudioFeatureExtractor.chunks(sampleCount: 100, window: 100) == [0..<100])
        #expect(AudioFeatureExtractor.chunks(sampleCount: 101, window: 100) == [0..<50, 50..<101])
        #expect(AudioFeatureExtractor.chunks(sampleCount: 240_000, window: 120_000) == [0..<120_000, 120_000..<240_000])
        #expect(AudioFeatureExtractor.chunks(sampleCount: 0, window: 100) == [0..<0])
    }
}
