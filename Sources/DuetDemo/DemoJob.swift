import DuetCatalog
import DuetData
import DuetModel
import DuetPipeline
import DuetRetrieval
import DuetSearch
import DuetSynth
import DuetTraining
import Foundation

/// `duet demo`'s job as a library: synthesise the embedded corpus and the out-of-world test split,
/// compute the locked features, train DuET-MC with the full recipe, evaluate beside the zero-shot
/// baseline, index the test clips and run the example searches. Every stage is timed and resumable:
/// a rerun skips finished work (a complete corpus, cached features, a finished training run).
public struct DemoJob {
    public struct Options: Sendable {
        /// Corpus folder.
        public var data: URL
        /// Run folder: checkpoints, curves, report, the search catalogue.
        public var run: URL
        /// Out-of-world test split folder (never read by training).
        public var outOfWorld: URL
        public var count = 1000
        public var seed: UInt64 = 0
        /// Training configuration; nil means the demo's built-in one (Configs/demo.json).
        public var configuration: TrainingConfiguration?

        public init(data: URL, run: URL, outOfWorld: URL) {
            self.data = data
            self.run = run
            self.outOfWorld = outOfWorld
        }
    }

    /// What the demo produced.
    public struct Outcome {
        public var report: EvaluationReport
        public var training: TrainingOutcome
        public var stages: StageTimer
        /// The catalogue of the indexed test clips.
        public var database: String
        /// Each example query with its top 5.
        public var searches: [(query: String, hits: [SearchHit])]
    }

    /// Report columns.
    static let inWorldColumn = "in-world test (synth human captions)"
    static let outOfWorldColumn = "out-of-world test (OpenMSX, OPL-3, own phrase book)"

    public var options: Options
    public var encoders: Encoders

    public init(options: Options, encoders: Encoders = Encoders()) {
        self.options = options
        self.encoders = encoders
    }

    public func run(stages: StageTimer = StageTimer()) throws -> Outcome {
        let log = { (line: String) in FileHandle.standardError.write(Data((line + "\n").utf8)) }
        let manifestURL = options.data.appendingPathComponent("manifest.jsonl")
        let count = options.count
        try stages.run("1. synthesise \(count) clips", items: { $0.map { (count: $0, unit: "clips") } }) { () throws -> Int? in
            if Self.corpusIsComplete(manifestURL, count: count) {
                log("corpus already in \(options.data.path)")
                return nil
            }
            let writerOptions = CorpusWriter.Options(count: count, seed: options.seed, seconds: 10, sampleRate: 16000, directory: options.data)
            let progress = ProgressBar(label: "rendering", total: count)
            _ = try CorpusWriter.write(writerOptions) { done, _ in progress.update(completed: done) }
            progress.finish()
            return count
        }
        let outOfWorldManifest = options.outOfWorld.appendingPathComponent("manifest.jsonl")
        try stages.run("1b. out-of-world test split", items: { $0.map { (count: $0, unit: "clips") } }) { () throws -> Int? in
            if FileManager.default.fileExists(atPath: outOfWorldManifest.path) {
                log("out-of-world split already in \(options.outOfWorld.path)")
                return nil
            }
            let entries = try OutOfWorldCorpus.write(.init(directory: options.outOfWorld)) { _, _ in }
            log("out-of-world split: \(entries.count) clips")
            return entries.count
        }
        let configuration = try options.configuration ?? .bundledDemo()
        let audioKinds = [try configuration.audioFeatureKind(encoders: encoders)]
        let clips = { (dataset: PreparedDataset) in (count: dataset.entries.count, unit: "clips") }
        let dataset = try stages.run("2. audio features", items: clips) {
            try PreparedDataset.load(manifestURL: manifestURL, splits: [.train, .valid, .test], audioFeatures: audioKinds, encoders: encoders)
        }
        let outOfWorldDataset = try stages.run("2b. out-of-world audio features", items: clips) {
            try PreparedDataset.load(manifestURL: outOfWorldManifest, splits: [.test], audioFeatures: audioKinds, encoders: encoders)
        }
        let training = try stages.run(
            "3. train (texts, \(configuration.textEncoder.displayName) features, DuET-MC)",
            items: { (count: $0.epochsCompleted, unit: "epochs") }
        ) {
            try TrainingPipeline(configuration: configuration, dictionary: try SwapDictionary.bundled())
                .train(dataset: dataset, encoders: encoders, runFolder: options.run, resume: true)
        }
        let report = try stages.run("4. evaluate") {
            try evaluate(training: training, configuration: configuration, datasets: (dataset, outOfWorldDataset))
        }
        let database = options.run.appendingPathComponent("library.sqlite").path
        let (_, searches) = try stages.run("5. index the test clips and search", items: { (count: $0.0.embedded, unit: "tracks") }) {
            let model = try SearchModel(checkpoint: training.bestCheckpoint, encoders: encoders)
            let indexed = try DemoSearch.indexTestClips(
                manifestURL: manifestURL, folder: options.data.appendingPathComponent("test-clips", isDirectory: true),
                database: database, model: model)
            let library = try LibrarySearch(catalog: try SQLiteCatalog(path: database), name: database, model: model)
            let searches = try DemoSearch.queries.map { (query: $0, hits: try library.search(text: $0, options: SearchOptions(count: 5))) }
            return (indexed, searches)
        }
        return Outcome(report: report, training: training, stages: stages, database: database, searches: searches)
    }

    /// The retrieval table: the zero-shot baseline and the trained model on both test splits, written to
    /// the run folder as report.md and report.json.
    func evaluate(
        training: TrainingOutcome, configuration: TrainingConfiguration,
        datasets: (inWorld: PreparedDataset, outOfWorld: PreparedDataset)
    ) throws -> EvaluationReport {
        let evaluation = RetrievalEvaluation()
        let model = try ModelCheckpoint.loadModel(from: training.bestCheckpoint)
        var report = EvaluationReport(datasets: [Self.inWorldColumn, Self.outOfWorldColumn])
        report.rows.append(try evaluation.zeroShotRow(
            datasets: [Self.inWorldColumn: datasets.inWorld, Self.outOfWorldColumn: datasets.outOfWorld], encoders: encoders))
        report.rows.append(.init(
            model: "DuET-MC (\(model.configuration.encoderSummary))",
            recipe: configuration.recipe,
            results: [
                Self.inWorldColumn: try evaluation.evaluate(model: model, dataset: datasets.inWorld, encoders: encoders),
                Self.outOfWorldColumn: try evaluation.evaluate(model: model, dataset: datasets.outOfWorld, encoders: encoders),
            ]))
        try report.markdown().write(to: options.run.appendingPathComponent("report.md"), atomically: true, encoding: .utf8)
        try report.json().write(to: options.run.appendingPathComponent("report.json"))
        return report
    }

    /// A finished corpus: its manifest has `count` lines (the manifest is written last).
    static func corpusIsComplete(_ manifest: URL, count: Int) -> Bool {
        guard let text = try? String(contentsOf: manifest, encoding: .utf8) else { return false }
        return text.split(whereSeparator: \.isNewline).count == count
    }
}

extension DemoJob.Outcome {
    /// What `duet demo` prints at the end: the table, the training summary, the stage times with
    /// throughput, the example searches and the commands to go on with.
    public func summary(runFolder: String) -> String {
        var lines = ["", report.markdown()]
        lines.append("Training: \(training.epochsCompleted) epochs (\(training.reason.rawValue)), best epoch \(training.bestEpoch); checkpoint \(training.bestCheckpoint.path)")
        lines.append("Curves: \(runFolder)/loss.svg, \(runFolder)/recall.svg; report: \(runFolder)/report.md")
        lines += ["", stages.markdownTable(), ""]
        lines.append("Search over the indexed test clips (catalogue \(database)), top 5 with musicnn tags:")
        for (query, hits) in searches {
            lines.append("  \"\(query)\"")
            for hit in hits {
                lines.append(String(format: "    %.3f  %@  %@", hit.score, hit.track.displayTitle as NSString,
                                    hit.track.musicnnTags.joined(separator: ", ") as NSString))
            }
        }
        lines.append("Search it yourself: duet search \"a calm piano piece\" --db \(database)")
        lines.append("Web page: duet serve --db \(database)")
        return lines.joined(separator: "\n")
    }
}
