import DuetModel
import DuetNN
import DuetOptim
import DuetRandom
import DuetRetrieval
import DuetTensor
import DuetWeights
import Foundation

/// How a call to `Trainer.run` ended.
public struct TrainingOutcome: Sendable {
    public enum Reason: String, Sendable, Codable {
        case earlyStopping = "early stopping"
        case maximumEpochs = "maximum epochs"
        case interrupted
    }
    public var reason: Reason
    public var epochsCompleted: Int
    public var bestEpoch: Int
    public var bestValidLoss: Double
    public var history: [EpochMetrics]
    /// Folder of the best model (lowest validation loss, or highest validation R@10 with `checkpointSelection: validRecall`), loadable with `ModelCheckpoint.loadModel`.
    public var bestCheckpoint: URL
}

/// Trains a `MusicTextModel` with the paper's recipe: symmetric InfoNCE (with TextSwap hard
/// negatives where the data provides them), AdamW with decoupled weight decay, linear warm-up then
/// cosine decay per step, gradient-norm clipping, early stopping on the validation loss (or R@10).
///
/// The run folder holds `last/` (weights, optimiser moments and `state.json`, written atomically
/// after every epoch), `best/` (the best model by `checkpointSelection`), `metrics.jsonl`,
/// `loss.svg` and `recall.svg`. All randomness comes from the configured seed: the batch order and
/// texts of epoch `e` from a generator derived from `(seed, e)`, dropout from a generator whose
/// state is saved, so a run killed at any point and resumed ends with the same weights as one that
/// never stopped.
public final class Trainer {
    public let configuration: TrainingConfiguration
    public let model: MusicTextModel
    public let data: TrainingData
    public let runFolder: URL
    /// Print a progress bar and a line per epoch on standard error.
    public var showsProgress = true

    let loss: InfoNCELoss
    let anchor = TextGeometryAnchor()

    public init(configuration: TrainingConfiguration, model: MusicTextModel, data: TrainingData, runFolder: URL) {
        self.configuration = configuration
        self.model = model
        self.data = data
        self.runFolder = runFolder
        loss = InfoNCELoss(temperature: configuration.temperature)
    }

    var lastFolder: URL { runFolder.appendingPathComponent("last") }
    var bestFolder: URL { runFolder.appendingPathComponent("best") }

    /// Effective batch size: the configured one, or the whole training split when smaller.
    var batchSize: Int { min(configuration.batchSize, data.trainItems.count) }
    /// Full batches per epoch (a trailing partial batch is dropped, as with `drop_last`).
    var stepsPerEpoch: Int { max(1, data.trainItems.count / max(1, batchSize)) }

    /// Trains until early stopping or the epoch limit.
    /// - Parameters:
    ///   - resume: continue from `last/` when it exists (otherwise start afresh).
    ///   - stopAfterSteps: stop (as if killed) once this many optimiser steps have been taken in
    ///     total; used to test that resuming is exact.
    public func run(resume: Bool, stopAfterSteps: Int? = nil) throws -> TrainingOutcome {
        guard data.trainItems.count >= 2 else { throw TrainingError.notEnoughData(split: "train", count: data.trainItems.count, needed: 2) }
        guard data.validItems.count >= 2 else { throw TrainingError.notEnoughData(split: "valid", count: data.validItems.count, needed: 2) }
        try configuration.validate()
        let lock = try RunFolderLock(folder: runFolder)
        defer { withExtendedLifetime(lock) {} }

        let optimizer = AdamW(
            parameters: model.namedParameters(), learningRate: configuration.peakLearningRate,
            weightDecay: configuration.weightDecay)
        let average = configuration.weightAverageDecay > 0
            ? WeightAverage(parameters: model.namedParameters(), decay: Float(configuration.weightAverageDecay)) : nil
        var state = TrainingState(configuration: configuration, dropoutGenerator: model.randomSource.generator)
        if resume, let restored = try restoreLast(into: optimizer, average: average) { state = restored }
        model.randomSource.generator = state.dropoutGenerator

        let schedule = LearningRateSchedule.warmupCosine(
            peak: configuration.peakLearningRate, warmupSteps: configuration.warmupEpochs * stepsPerEpoch,
            totalSteps: configuration.maximumEpochs * stepsPerEpoch)

        if let reason = state.stopReason.flatMap(TrainingOutcome.Reason.init(rawValue:)) {
            return outcome(state, reason: reason)
        }
        while state.epochsCompleted < configuration.maximumEpochs {
            let epoch = state.epochsCompleted + 1
            let started = Date()
            var generator = SeededGenerator(seed: configuration.seed ^ (UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15))
            let order = shuffled(data.trainItems, using: &generator)
            let progress = ProgressBar(label: "epoch \(epoch)/\(configuration.maximumEpochs)", total: stepsPerEpoch, enabled: showsProgress)
            var lossSum = 0.0
            var hardNegatives = 0
            model.train()
            for batchIndex in 0..<stepsPerEpoch {
                if let stopAfterSteps, state.step >= stopAfterSteps { return outcome(state, reason: .interrupted) }
                let items = Array(order[(batchIndex * batchSize)..<((batchIndex + 1) * batchSize)])
                let texts = data.batchTexts(items, epoch, &generator)
                hardNegatives += texts.hardNegativeCount
                let audio = try data.audioBatch(items)
                let text = try data.textBatch(texts.texts)
                let keyPadding = TokenDropout.apply(
                    to: text.keyPadding, batch: texts.texts.count, rate: configuration.textTokenDropout, using: &generator)

                let textEmbeddings = model.embedText(text.states, keyPadding: keyPadding)
                var value = loss(audio: model.embedAudio(audio), text: textEmbeddings, audioToTextMask: texts.audioToTextMask)
                if configuration.textAnchorWeight > 0 {
                    let reference = SentenceToken.means(of: text.states, keyPadding: text.keyPadding)
                    value = value + anchor(text: textEmbeddings, reference: reference) * Float(configuration.textAnchorWeight)
                }
                guard value.scalar.isFinite else {
                    throw TrainingError.nonFiniteLoss(
                        epoch: epoch, step: state.step + 1,
                        lastGoodCheckpoint: state.epochsCompleted > 0 ? lastFolder.path : nil)
                }
                value.backward()
                if let maxNorm = configuration.gradientClipNorm { _ = clipGradientNorm(optimizer.parameters.map(\.parameter), maxNorm: maxNorm) }
                optimizer.learningRate = schedule(state.step)
                optimizer.update()
                average?.update()
                model.zeroGradients()
                state.step += 1
                lossSum += Double(value.scalar)
                progress.advance(detail: String(format: "loss %.4f  lr %.2e", value.scalar, optimizer.learningRate))
            }
            let validation = try average.map { try $0.withAveragedParameters { try validate() } } ?? validate()
            let metrics = EpochMetrics(
                epoch: epoch, step: state.step, trainLoss: lossSum / Double(stepsPerEpoch), validLoss: validation.loss,
                validRecallAt10: validation.recallAt10, learningRate: Double(optimizer.learningRate),
                textSwapProbability: configuration.swapProbability(epoch: epoch), hardNegativeCount: hardNegatives,
                seconds: Date().timeIntervalSince(started))
            progress.finish(detail: String(format: "train %.4f  valid %.4f  R@10 %.1f", metrics.trainLoss, metrics.validLoss, metrics.validRecallAt10))

            state.history.append(metrics)
            state.epochsCompleted = epoch
            if configuration.checkpointSelection.improves(
                loss: validation.loss, recall: validation.recallAt10, bestLoss: state.bestValidLoss, bestRecall: state.bestValidRecall) {
                state.bestValidLoss = validation.loss
                state.bestValidRecall = validation.recallAt10
                state.bestEpoch = epoch
                state.epochsWithoutImprovement = 0
                try replaceFolder(bestFolder) { folder in
                    let write = { try ModelCheckpoint.write(self.model, details: self.configuration, to: folder) }
                    try average.map { try $0.withAveragedParameters(write) } ?? write()
                }
            } else {
                state.epochsWithoutImprovement += 1
            }
            if state.epochsWithoutImprovement >= configuration.earlyStoppingPatience {
                state.stopReason = TrainingOutcome.Reason.earlyStopping.rawValue
            } else if epoch == configuration.maximumEpochs {
                state.stopReason = TrainingOutcome.Reason.maximumEpochs.rawValue
            }
            state.dropoutGenerator = model.randomSource.generator
            try saveLast(state, optimizer: optimizer, average: average)
            try MetricsLog.write(state.history, to: runFolder)
            if let reason = state.stopReason.flatMap(TrainingOutcome.Reason.init(rawValue:)) {
                return outcome(state, reason: reason)
            }
        }
        return outcome(state, reason: .maximumEpochs)
    }

    /// Validation loss (InfoNCE over fixed batches of held-out items with their validation
    /// positives) and text-to-music R@10 over every held-out query against all held-out clips.
    func validate() throws -> (loss: Double, recallAt10: Double) {
        model.eval()
        defer { model.train() }
        return try withoutGradient {
            let items = data.validItems
            var audioEmbeddings: [Float] = []
            for start in stride(from: 0, to: items.count, by: batchSize) {
                let chunk = Array(items[start..<min(items.count, start + batchSize)])
                audioEmbeddings += model.embedAudio(try data.audioBatch(chunk)).l2Normalized().storage
            }
            let queries = data.validationQueries
            var textEmbeddings: [Float] = []
            for start in stride(from: 0, to: queries.count, by: batchSize) {
                let chunk = queries[start..<min(queries.count, start + batchSize)].map(\.text)
                let batch = try data.textBatch(chunk)
                textEmbeddings += model.embedText(batch.states, keyPadding: batch.keyPadding).l2Normalized().storage
            }
            let width = model.configuration.embeddingWidth
            let row = Dictionary(items.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
            let targets = queries.map { row[$0.item] ?? -1 }
            precondition(!targets.contains(-1), "a validation query targets an item outside the validation split")
            let ranks = RetrievalRanks.compute(queries: textEmbeddings, items: audioEmbeddings, dimension: width, targets: targets)
            let recall = RetrievalMetrics.recall(at: 10, ranks: ranks)

            // Loss over fixed batches of items: each item's validation positive (or first query).
            var positives: [Float] = []
            if let texts = data.validationPositives {
                for start in stride(from: 0, to: texts.count, by: batchSize) {
                    let batch = try data.textBatch(Array(texts[start..<min(texts.count, start + batchSize)]))
                    positives += model.embedText(batch.states, keyPadding: batch.keyPadding).l2Normalized().storage
                }
            } else {
                var firstQuery: [Int: Int] = [:]
                for (index, query) in queries.enumerated() where firstQuery[query.item] == nil { firstQuery[query.item] = index }
                for item in items {
                    guard let query = firstQuery[item] else {
                        preconditionFailure("validation item \(item) has no query and no validation positive")
                    }
                    positives += textEmbeddings[(query * width)..<((query + 1) * width)]
                }
            }
            var total = 0.0, weight = 0.0
            for start in stride(from: 0, to: items.count, by: batchSize) {
                let rows = start..<min(items.count, start + batchSize)
                guard rows.count >= 2 else { continue }
                let audio = Tensor(Array(audioEmbeddings[(rows.lowerBound * width)..<(rows.upperBound * width)]), shape: [rows.count, width])
                let text = Tensor(Array(positives[(rows.lowerBound * width)..<(rows.upperBound * width)]), shape: [rows.count, width])
                total += Double(loss(audio: audio, text: text).scalar) * Double(rows.count)
                weight += Double(rows.count)
            }
            return (weight > 0 ? total / weight : .nan, recall)
        }
    }

    private func shuffled(_ items: [Int], using generator: inout SeededGenerator) -> [Int] {
        var result = items
        guard result.count > 1 else { return result }
        for index in stride(from: result.count - 1, to: 0, by: -1) {
            result.swapAt(index, Int(generator.next() % UInt64(index + 1)))
        }
        return result
    }

    private func outcome(_ state: TrainingState, reason: TrainingOutcome.Reason) -> TrainingOutcome {
        TrainingOutcome(reason: reason, epochsCompleted: state.epochsCompleted, bestEpoch: state.bestEpoch,
                        bestValidLoss: state.bestValidLoss, history: state.history, bestCheckpoint: bestFolder)
    }

    // MARK: - Checkpoints

    /// `last/` holds the trained weights (not the average), the optimiser's moments and, with a
    /// weight average, its state, so that a resumed run continues exactly.
    private func saveLast(_ state: TrainingState, optimizer: AdamW, average: WeightAverage?) throws {
        try replaceFolder(lastFolder) { folder in
            try ModelCheckpoint.write(model, details: configuration, to: folder)
            try optimizer.saveState(to: folder.appendingPathComponent("optimizer.safetensors"))
            try average?.saveState(to: folder.appendingPathComponent("average.safetensors"))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try AtomicFile.write(try encoder.encode(state), to: folder.appendingPathComponent("state.json"))
        }
    }

    /// Restores `last/` (or `last.old/` when a previous run was killed while replacing it).
    private func restoreLast(into optimizer: AdamW, average: WeightAverage?) throws -> TrainingState? {
        let manager = FileManager.default
        let candidates = [lastFolder, lastFolder.appendingPathExtension("old")]
        guard let folder = candidates.first(where: { manager.fileExists(atPath: $0.appendingPathComponent("state.json").path) }) else {
            return nil
        }
        let state: TrainingState
        do {
            state = try JSONDecoder().decode(TrainingState.self, from: Data(contentsOf: folder.appendingPathComponent("state.json")))
        } catch {
            throw TrainingError.incompatibleResume(path: folder.path, reason: "state.json is unreadable: \(error)")
        }
        guard state.configuration == configuration else {
            throw TrainingError.incompatibleResume(path: folder.path, reason: "it was trained with another configuration; use a new run folder or the same configuration")
        }
        try model.loadParameters(from: folder.appendingPathComponent(ModelCheckpoint.weightsFile))
        try optimizer.restoreState(from: folder.appendingPathComponent("optimizer.safetensors"))
        try average?.restoreState(from: folder.appendingPathComponent("average.safetensors"))
        return state
    }

    /// Writes a folder through `folder.partial`, then swaps it in: the old copy is moved to
    /// `folder.old` and removed only after the new one is in place, so some complete copy exists
    /// at every instant.
    private func replaceFolder(_ folder: URL, write: (URL) throws -> Void) throws {
        let manager = FileManager.default
        let partial = folder.appendingPathExtension("partial")
        let old = folder.appendingPathExtension("old")
        try? manager.removeItem(at: partial)
        try write(partial)
        if manager.fileExists(atPath: folder.path) {
            try? manager.removeItem(at: old)
            try manager.moveItem(at: folder, to: old)
        }
        try manager.moveItem(at: partial, to: folder)
        try? manager.removeItem(at: old)
    }
}
