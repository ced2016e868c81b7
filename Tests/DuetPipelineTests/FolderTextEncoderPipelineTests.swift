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

/// DuET-MC on the paper's text towers read from weights folders (CLIP-T, RoBERTa, T5, mT5), end to end on a
/// small rendered corpus: the real loaders, tokenizers and networks on tiny random checkpoints
/// (`TinyTextEncoderFolders`), the stand-in audio encoder, so it runs without any downloaded weights.
@Suite("Folder text encoders end to end")
struct FolderTextEncoderPipelineTests {
    static func smallConfiguration(_ kind: TextEncoderKind, weights: URL) -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.batchSize = 16
        configuration.maximumEpochs = 2
        configuration.warmupEpochs = 1
        configuration.viewCount = 2
        configuration.textSwapWarmupEpochs = 0
        configuration.textSwapRampEpochs = 1
        configuration.textEncoder = kind
        configuration.textEncoderWeights = weights.path
        return configuration
    }

    static func standInEncoders(textEncoderWeightsOverride: URL? = nil) -> Encoders {
        let tags = MusiCNNModel.magnaTagATune.tags
        return Encoders(audio: { StandInAudioEncoder(tags: tags) }, textEncoderWeightsOverride: textEncoderWeightsOverride)
    }

    @Test func eachTowerTrainsEvaluatesAndIsRecordedInTheCheckpoint() throws {
        let folder = try SearchFixtures.temporaryFolder("folder-text")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("corpus")
        _ = try CorpusWriter.write(.init(count: 24, seed: 9, seconds: 3.5, directory: data)) { _, _ in }
        let manifestURL = data.appendingPathComponent("manifest.jsonl")
        let training = Self.standInEncoders()
        let dataset = try PreparedDataset.load(
            manifestURL: manifestURL, splits: [.train, .valid, .test], encoders: training, showsProgress: false)
        let probe = "a mellow jazz trio with brushed drums"

        var fingerprints: [String] = []
        for kind in [TextEncoderKind.clipText, .roberta, .t5, .mt5] {
            let weights = try TinyTextEncoderFolders.write(kind, into: folder.appendingPathComponent("weights-\(kind.rawValue)"))
            let model = try WeightsFolderChecks.trainBriefly(
                Self.smallConfiguration(kind, weights: weights), dataset: dataset, encoders: training,
                runFolder: folder.appendingPathComponent("run-\(kind.rawValue)"))

            // The checkpoint records the kind, the absolute folder and its fingerprint; the text width is the tower's.
            let resolved = try training.resolve(TextEncoderSelection(kind: kind, weightsFolder: weights.path))
            let fingerprint = try #require(resolved.weightsFingerprint)
            #expect(model.configuration.textEncoderKind == kind && model.configuration.textWidth == 32, "\(kind)")
            #expect(model.configuration.textEncoderWeights == weights.standardizedFileURL.path, "\(kind)")
            #expect(model.configuration.textEncoderWeightsFingerprint == fingerprint, "\(kind)")
            #expect(model.configuration.textEncoder.version == fingerprint && model.configuration.textEncoder.name == kind.displayName)
            fingerprints.append(fingerprint)

            // Evaluation in a fresh process state (new encoders) reloads the tower from the recorded folder.
            var evaluation = RetrievalEvaluation()
            evaluation.showsProgress = false
            let summary = try evaluation.evaluate(model: model, dataset: dataset, encoders: Self.standInEncoders())
            #expect(summary.queryCount > 0 && summary.mean.medianRank >= 1, "\(kind)")
            #expect((0...100).contains(summary.mean.recallAt10), "\(kind)")

            // Token states are cached under the fingerprinted identity, never under the bare kind.
            try TextFeatureExtractor(encoder: try training.text(resolved), selection: resolved, cache: dataset.cache)
                .extract([probe], showsProgress: false)
            let states = try #require(dataset.cache.text.features(for: dataset.cache.textKey(probe, encoder: resolved)))
            #expect(states.shape[1] == 32 && states.shape[0] >= 3, "\(kind): special tokens and words")
            #expect(!dataset.cache.text.contains(dataset.cache.textKey(probe, encoder: TextEncoderSelection(kind: kind))))
        }
        #expect(Set(fingerprints).count == 4, "every folder has its own fingerprint")
    }

    /// A moved folder is found again through `--text-encoder-weights`; a changed one is refused, naming the
    /// folder and where it came from; a missing one names the path and the setting.
    @Test func aCheckpointReloadsOnlyTheWeightsItWasTrainedWith() throws {
        let folder = try SearchFixtures.temporaryFolder("folder-text-change")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("corpus")
        _ = try CorpusWriter.write(.init(count: 24, seed: 4, seconds: 3.5, directory: data)) { _, _ in }
        let training = Self.standInEncoders()
        let dataset = try PreparedDataset.load(
            manifestURL: data.appendingPathComponent("manifest.jsonl"), splits: [.train, .valid, .test], encoders: training,
            showsProgress: false)
        let weights = try TinyTextEncoderFolders.write(.roberta, into: folder.appendingPathComponent("roberta"))
        let model = try WeightsFolderChecks.trainBriefly(
            Self.smallConfiguration(.roberta, weights: weights), dataset: dataset, encoders: training, runFolder: folder.appendingPathComponent("run"))
        var evaluation = RetrievalEvaluation()
        evaluation.showsProgress = false
        let original = try evaluation.evaluate(model: model, dataset: dataset, encoders: Self.standInEncoders())

        // Moved: the recorded folder is gone, the override finds the same files.
        let moved = folder.appendingPathComponent("elsewhere")
        try FileManager.default.moveItem(at: weights, to: moved)
        #expect { try evaluation.evaluate(model: model, dataset: dataset, encoders: Self.standInEncoders()) } throws: { error in
            let message = (error as? LocalizedError)?.errorDescription ?? ""
            return message.contains(weights.standardizedFileURL.path) && message.contains("textEncoderWeights") && message.contains("does not exist")
        }
        let again = try evaluation.evaluate(model: model, dataset: dataset, encoders: Self.standInEncoders(textEncoderWeightsOverride: moved))
        #expect(again.mean.recallAt10 == original.mean.recallAt10 && again.mean.medianRank == original.mean.medianRank)

        // Changed, incomplete, or not named at all.
        try WeightsFolderChecks.expectRefusals(
            TextEncoderWeightsFolder.self, kind: .roberta, folder: moved, recorded: model.configuration.textEncoderWeightsFingerprint,
            file: "merges.txt", encoders: { Self.standInEncoders() },
            useOverride: { _ = try evaluation.evaluate(model: model, dataset: dataset, encoders: Self.standInEncoders(textEncoderWeightsOverride: moved)) })
    }
}
