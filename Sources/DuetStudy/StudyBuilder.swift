import DuetData
import DuetFeatures
import DuetModel
import DuetPipeline
import DuetRandom
import Foundation

/// Creates a study's plan from manifests and systems: draws prompts from each manifest's split, asks every
/// trained system for its top clip per prompt among that split's clips (through the evaluation's embedding
/// path and feature cache), takes the ground-truth clip for `truth`, and plans the trials
/// (``StudyPlanner``). The body of `duet study create`.
public struct StudyBuilder {
    public var manifests: [URL]
    public var split: Split
    /// The ground truth, when present, is moved last, so comparisons read "A vs truth".
    public var systems: [StudySystem]
    public var promptsPerDataset: Int
    public var trialsPerParticipant: Int
    public var seed: UInt64
    public var showsProgress = true

    public static let promptRange = 1...10_000
    public static let trialsPerParticipantRange = 1...10_000

    public init(
        manifests: [URL], split: Split = .test, systems: [StudySystem], promptsPerDataset: Int = 24,
        trialsPerParticipant: Int = 24, seed: UInt64 = 0
    ) {
        self.manifests = manifests
        self.split = split
        self.systems = systems.filter { !$0.isTruth } + systems.filter(\.isTruth)
        self.promptsPerDataset = promptsPerDataset
        self.trialsPerParticipant = trialsPerParticipant
        self.seed = seed
    }

    /// Checks what can be checked before any model or feature is loaded: systems, counts, checkpoints.
    public func validate() throws(StudyError) {
        try StudySystem.validate(systems)
        guard Self.promptRange.contains(promptsPerDataset) else {
            throw .invalidCount(option: "--prompts", value: promptsPerDataset, range: Self.promptRange)
        }
        guard Self.trialsPerParticipantRange.contains(trialsPerParticipant) else {
            throw .invalidCount(option: "--trials-per-participant", value: trialsPerParticipant, range: Self.trialsPerParticipantRange)
        }
        for system in systems {
            guard let checkpoint = system.checkpoint else { continue }
            let folder = ModelCheckpoint.folder(URL(fileURLWithPath: checkpoint))
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(ModelCheckpoint.configurationFile).path)
            else { throw .missingCheckpoint(system: system.name, path: checkpoint) }
        }
    }

    /// Builds the plan.
    /// - Throws: ``StudyError`` for bad systems, counts or too few items; the pipeline's errors for
    ///   unreadable manifests, checkpoints or audio.
    public func build(encoders: Encoders = Encoders()) throws -> StudyPlan {
        try validate()
        var models: [String: MusicTextModel] = [:]
        for system in systems {
            guard let checkpoint = system.checkpoint else { continue }
            models[system.name] = try ModelCheckpoint.loadModel(from: URL(fileURLWithPath: checkpoint))
        }
        var kinds: [AudioFeatureKind] = []
        for system in systems {
            guard let model = models[system.name] else { continue }
            let kind = AudioFeatureKind(model: model.configuration)
            if !kinds.contains(kind) { kinds.append(kind) }
        }
        var clips: [StudyClip] = []
        var clipIDs: [String: Int] = [:]
        var prompts: [StudyPrompt] = []
        for (index, manifestURL) in manifests.enumerated() {
            let dataset = try PreparedDataset.load(
                manifestURL: manifestURL.standardizedFileURL, splits: [split], audioFeatures: kinds, encoders: encoders,
                showsProgress: showsProgress)
            var evaluation = RetrievalEvaluation(splits: [split])
            evaluation.showsProgress = showsProgress
            let entries = evaluation.queries(in: dataset).entries
            guard entries.count >= max(2, promptsPerDataset) else {
                throw StudyError.tooFewItems(
                    dataset: dataset.name, split: split.rawValue, available: entries.count, requested: promptsPerDataset)
            }
            var generator = SeededGenerator(seed: seed).derived(stream: UInt64(index))
            let drawn = StudyPlanner.drawPrompts(
                captions: entries.map { $0.captions(inLanguage: evaluation.language) }, count: promptsPerDataset,
                generator: &generator)
            var rows: [String: [Int]] = [:]
            for system in systems {
                if let model = models[system.name] {
                    rows[system.name] = try evaluation.topClips(
                        model: model, dataset: dataset, entries: entries, texts: drawn.map(\.caption), encoders: encoders)
                } else {
                    rows[system.name] = drawn.map(\.item)
                }
            }
            func clipID(_ row: Int) -> Int {
                let entry = entries[row]
                let key = "\(dataset.manifest.url.path)\u{0}\(entry.id)"
                if let id = clipIDs[key] { return id }
                let id = clips.count + 1
                clips.append(StudyClip(
                    id: id, dataset: Self.datasetName(of: entry, in: dataset), item: entry.id,
                    audio: dataset.manifest.audioURL(for: entry).standardizedFileURL.path, start: entry.start, end: entry.end))
                clipIDs[key] = id
                return id
            }
            for (position, prompt) in drawn.enumerated() {
                var chosen: [String: Int] = [:]
                for system in systems { chosen[system.name] = clipID(rows[system.name]?[position] ?? prompt.item) }
                prompts.append(StudyPrompt(
                    id: prompts.count + 1, dataset: Self.datasetName(of: entries[prompt.item], in: dataset), text: prompt.caption,
                    truthClip: clipID(prompt.item), clips: chosen))
            }
        }
        return StudyPlan(
            systems: systems, clips: clips, prompts: prompts, trials: StudyPlanner.trials(systems: systems, prompts: prompts, seed: seed),
            trialsPerParticipant: trialsPerParticipant, seed: seed, split: split.rawValue)
    }

    /// An item's dataset: its `metadata.source` (importers and `duet synth` write it), else the manifest's folder name.
    static func datasetName(of entry: ManifestEntry, in dataset: PreparedDataset) -> String {
        if let source = entry.metadata?["source"], !source.isEmpty { return source }
        return dataset.name
    }
}
