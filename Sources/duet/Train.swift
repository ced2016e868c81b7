import ArgumentParser
import DuetData
import DuetFeatures
import DuetPipeline
import DuetTraining
import Foundation

/// Trains DuET-MC on a manifest with the Augment, Drop & Swap recipe.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train DuET-MC on a manifest (locked musicnn or a from-scratch CNN + locked MiniLM; features are cached).",
        discussion: """
        The configuration file is JSON; every key is optional and defaults to the paper's value \
        (temperature 0.03, AdamW weight decay 0.05, peak learning rate 1e-3 after 5 warm-up epochs, \
        cosine decay, early stopping on validation loss, p_cap 0.5, 10 views, TextSwap 0 -> 15% over \
        20 epochs after 5). See Docs/training.md for every key. The run folder receives last/ (resumable), \
        best/ (the checkpoint for eval and search), metrics.jsonl, loss.svg and recall.svg.
        """)

    @Option(help: "Training configuration (JSON). Without it, the paper's defaults.") var config: String?
    @Option(help: "Manifest (JSONL) with train and valid splits.") var manifest: String
    @Option(help: "Run folder.") var out: String
    @Option(help: "Feature cache folder (default: features/ beside the manifest).") var cache: String?
    @Option(help: "TextSwap dictionary (JSON); default: the bundled one.") var swapDictionary: String?
    @Option(help: "Views written by `duet augment` (views.jsonl: offline or language-model captions) to train on.")
    var views: String?
    @Flag(help: "Leave out items whose audio file is missing (they are named) instead of failing.") var skipMissingAudio = false
    @Flag(help: "Continue the run in --out from its last checkpoint.") var resume = false
    @Flag(help: "Train afresh into an --out folder that already holds a run (its checkpoints are replaced).") var force = false
    @Flag(help: "Print the outcome as JSON.") var json = false

    func validate() throws {
        guard !(resume && force) else { throw ValidationError("--resume continues a run and --force replaces it; give one of them") }
        let folder = URL(fileURLWithPath: out)
        if !resume, !force, RunFolderLock.holdsRun(folder) { throw TrainingError.runExists(path: folder.path) }
        if let views, !FileManager.default.fileExists(atPath: views) {
            throw ValidationError("--views \(views): no such file (write one with `duet augment`)")
        }
    }

    func run() throws {
        let augmented = try views.map { path in
            Dictionary(try ItemViews.load(from: URL(fileURLWithPath: path)).map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        } ?? [:]
        let configuration = try config.map { try TrainingConfiguration.load(from: URL(fileURLWithPath: $0)) } ?? TrainingConfiguration()
        let dictionary = try swapDictionary.map { try SwapDictionary.load(from: URL(fileURLWithPath: $0)) } ?? SwapDictionary.bundled()
        let encoders = Encoders()
        let dataset = try PreparedDataset.load(
            manifestURL: URL(fileURLWithPath: manifest), splits: [.train, .valid],
            audioFeatures: [try configuration.audioFeatureKind(encoders: encoders)],
            cacheFolder: cache.map { URL(fileURLWithPath: $0) }, encoders: encoders, skipMissingAudio: skipMissingAudio)
        let outcome = try TrainingPipeline(configuration: configuration, dictionary: dictionary)
            .train(dataset: dataset, encoders: encoders, runFolder: URL(fileURLWithPath: out), resume: resume, augmentedViews: augmented)
        if json {
            let summary: [String: Any] = [
                "reason": outcome.reason.rawValue, "epochs": outcome.epochsCompleted, "bestEpoch": outcome.bestEpoch,
                "bestValidLoss": outcome.bestValidLoss, "checkpoint": outcome.bestCheckpoint.path,
            ]
            print(String(decoding: try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys]), as: UTF8.self))
        } else {
            print("stopped after \(outcome.epochsCompleted) epochs (\(outcome.reason.rawValue)); best epoch \(outcome.bestEpoch), valid loss \(String(format: "%.4f", outcome.bestValidLoss))")
            print("checkpoint: \(outcome.bestCheckpoint.path)")
        }
    }
}
