import DuetModel
import DuetRandom
import DuetTensor
import DuetTraining
import Foundation
import Testing

/// A tiny synthetic task: 8 classes; an item's audio tokens are its class prototype plus noise,
/// its text is "class k" whose token states are a fixed function of k. Learnable in seconds.
struct SyntheticTask {
    static let classes = 8
    static let tokens = 4, layerWidths = [6, 4], textWidth = 8, textLength = 3
    let itemCount: Int
    let audio: [[Float]]
    let itemClass: [Int]
    let textTable: [String: [Float]]

    init(itemCount: Int, seed: UInt64 = 1) {
        self.itemCount = itemCount
        var generator = SeededGenerator(seed: seed)
        let width = Self.layerWidths.reduce(0, +)
        let prototypes = (0..<Self.classes).map { _ in (0..<width).map { _ in generator.nextNormal() } }
        itemClass = (0..<itemCount).map { $0 % Self.classes }
        audio = itemClass.map { klass in
            (0..<Self.tokens).flatMap { _ in prototypes[klass].map { $0 + 0.3 * generator.nextNormal() } }
        }
        var table: [String: [Float]] = [:]
        for klass in 0..<Self.classes {
            table["class \(klass)"] = (0..<(Self.textLength * Self.textWidth)).map { _ in generator.nextNormal() }
            table["not class \(klass)"] = (0..<(Self.textLength * Self.textWidth)).map { _ in generator.nextNormal() }
        }
        textTable = table
    }

    func data(textStates: ((String) throws -> [Float])? = nil) -> TrainingData {
        let train = Array(0..<(itemCount * 3 / 4)), valid = Array((itemCount * 3 / 4)..<itemCount)
        let itemClass = self.itemClass, audio = self.audio, table = textTable
        return TrainingData(
            trainItems: train, validItems: valid, audioTokenCount: Self.tokens,
            audioWidth: Self.layerWidths.reduce(0, +), textWidth: Self.textWidth,
            audioFeatures: { audio[$0] },
            textStates: textStates ?? { text in table[text]! },
            batchTexts: { items, epoch, generator in
                // One hard negative ("not class k") for a random half of the rows after epoch 1.
                var texts = items.map { "class \(itemClass[$0])" }
                var mask = [Float]()
                var negatives: [Int] = []
                if epoch > 1 { negatives = items.indices.filter { _ in generator.next() % 2 == 0 } }
                let columns = items.count + negatives.count
                mask = [Float](repeating: 0, count: items.count * columns)
                for (offset, row) in negatives.enumerated() {
                    texts.append("not class \(itemClass[items[row]])")
                    for other in items.indices where other != row { mask[other * columns + items.count + offset] = -.infinity }
                }
                return TrainingTextBatch(texts: texts, audioToTextMask: mask, hardNegativeCount: negatives.count)
            },
            validationQueries: valid.map { (item: $0, text: "class \(itemClass[$0])") })
    }

    static func configuration(epochs: Int) -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.embeddingWidth = 16
        configuration.feedForwardWidth = 32
        configuration.layerCount = 1
        configuration.audioTokenCount = tokens
        configuration.batchSize = 16
        configuration.maximumEpochs = epochs
        configuration.warmupEpochs = 1
        configuration.earlyStoppingPatience = 100
        configuration.temperature = 0.1
        configuration.peakLearningRate = 3e-3
        configuration.seed = 5
        return configuration
    }

    static func model(_ configuration: TrainingConfiguration) -> MusicTextModel {
        var base = ModelConfiguration()
        base.audioLayerWidths = layerWidths
        base.textWidth = textWidth
        return MusicTextModel(configuration: configuration.modelConfiguration(base: base), seed: configuration.seed)
    }
}

@Suite("Trainer")
struct TrainerTests {
    func runFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("duet-run-\(UUID().uuidString)")
    }

    @Test func learnsTheSyntheticTaskAndWritesItsRecords() throws {
        let task = SyntheticTask(itemCount: 128)
        let configuration = SyntheticTask.configuration(epochs: 8)
        let folder = runFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let trainer = Trainer(configuration: configuration, model: SyntheticTask.model(configuration), data: task.data(), runFolder: folder)
        trainer.showsProgress = false
        let outcome = try trainer.run(resume: false)
        #expect(outcome.reason == .maximumEpochs && outcome.epochsCompleted == 8)
        let first = try #require(outcome.history.first), last = try #require(outcome.history.last)
        #expect(last.trainLoss < first.trainLoss * 0.7, "train loss \(first.trainLoss) -> \(last.trainLoss)")
        // 32 held-out clips, 4 per class: a query ranks its clip among 4 equals, so R@10 near 100.
        #expect(last.validRecallAt10 > 60, "valid R@10 \(last.validRecallAt10)")
        #expect(outcome.history.dropFirst().contains { $0.hardNegativeCount > 0 })
        for file in ["metrics.jsonl", "loss.svg", "recall.svg", "best/model.safetensors", "best/config.json", "last/state.json", "last/optimizer.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path), "\(file)")
        }
        let lines = try String(contentsOf: folder.appendingPathComponent("metrics.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 8)
        _ = try ModelCheckpoint.loadModel(from: outcome.bestCheckpoint)
    }

    /// `best/` is the epoch the configured validation number prefers: the lowest loss, or the highest
    /// R@10 with ties going to the lower loss.
    @Test(arguments: CheckpointSelection.allCases)
    func theBestCheckpointFollowsTheSelection(selection: CheckpointSelection) throws {
        let task = SyntheticTask(itemCount: 64)
        var configuration = SyntheticTask.configuration(epochs: 6)
        configuration.checkpointSelection = selection
        let folder = runFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let trainer = Trainer(configuration: configuration, model: SyntheticTask.model(configuration), data: task.data(), runFolder: folder)
        trainer.showsProgress = false
        let outcome = try trainer.run(resume: false)
        let expected: EpochMetrics? = switch selection {
        case .validLoss: outcome.history.min { $0.validLoss < $1.validLoss }
        case .validRecall:
            outcome.history.min { ($0.validRecallAt10, -$0.validLoss) > ($1.validRecallAt10, -$1.validLoss) }
        }
        #expect(outcome.bestEpoch == expected?.epoch, "\(outcome.history.map { ($0.epoch, $0.validLoss, $0.validRecallAt10) })")
    }

    /// With a weight average too (0.8): `last/` carries it, so validation and `best/` continue exactly.
    @Test(arguments: [0.0, 0.8])
    func aRunKilledMidEpochAndResumedEndsWithIdenticalWeights(weightAverageDecay: Double) throws {
        let task = SyntheticTask(itemCount: 64)
        var configuration = SyntheticTask.configuration(epochs: 3)  // 3 steps per epoch
        configuration.weightAverageDecay = weightAverageDecay
        let straightFolder = runFolder(), resumedFolder = runFolder()
        defer { try? FileManager.default.removeItem(at: straightFolder); try? FileManager.default.removeItem(at: resumedFolder) }

        let straight = SyntheticTask.model(configuration)
        let straightTrainer = Trainer(configuration: configuration, model: straight, data: task.data(), runFolder: straightFolder)
        straightTrainer.showsProgress = false
        _ = try straightTrainer.run(resume: false)

        // Killed after 4 steps (inside epoch 2): only epoch 1's checkpoint exists.
        let interrupted = Trainer(configuration: configuration, model: SyntheticTask.model(configuration), data: task.data(), runFolder: resumedFolder)
        interrupted.showsProgress = false
        #expect(try interrupted.run(resume: false, stopAfterSteps: 4).reason == .interrupted)
        // A new process: a freshly initialised model, resumed from disk.
        let fresh = SyntheticTask.model(configuration)
        let resumed = Trainer(configuration: configuration, model: fresh, data: task.data(), runFolder: resumedFolder)
        resumed.showsProgress = false
        let outcome = try resumed.run(resume: true)
        #expect(outcome.epochsCompleted == 3)
        for ((name, expected), (_, actual)) in zip(straight.namedParameters(), fresh.namedParameters()) {
            #expect(expected.storage == actual.storage, "\(name) differs after resume")
        }
        let bestWeights = { (folder: URL) in try Data(contentsOf: folder.appendingPathComponent("best").appendingPathComponent(ModelCheckpoint.weightsFile)) }
        #expect(try bestWeights(straightFolder) == bestWeights(resumedFolder))
        #expect(outcome.history.map(\.validLoss) == (try straightTrainer.run(resume: true)).history.map(\.validLoss))
        // Resuming a finished run does nothing more.
        #expect(try resumed.run(resume: true).epochsCompleted == 3)
    }

    @Test func nonFiniteLossStopsAndKeepsTheLastGoodCheckpoint() throws {
        let task = SyntheticTask(itemCount: 64)
        let configuration = SyntheticTask.configuration(epochs: 3)
        let folder = runFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        nonisolated(unsafe) var calls = 0
        let table = task.textTable
        let poisoned = task.data(textStates: { text in
            calls += 1
            // Fine through epoch 1 (3 steps x 16 texts + 16 validation queries), NaN afterwards.
            return calls > 64 ? [Float](repeating: .nan, count: 24) : table[text]!
        })
        let trainer = Trainer(configuration: configuration, model: SyntheticTask.model(configuration), data: poisoned, runFolder: folder)
        trainer.showsProgress = false
        #expect {
            try trainer.run(resume: false)
        } throws: { error in
            guard case .nonFiniteLoss(let epoch, _, let checkpoint)? = error as? TrainingError else { return false }
            return epoch == 2 && checkpoint == folder.appendingPathComponent("last").path
        }
        let state = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("last/state.json"))) as? [String: Any]
        #expect(state?["epochsCompleted"] as? Int == 1)
    }
}
