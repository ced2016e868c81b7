import ArgumentParser
import DuetCatalog
import DuetData
import DuetFeatures
import DuetModel
import DuetPipeline
import DuetRetrieval
import DuetSearch
import DuetSynth
import DuetTraining
import Foundation

/// The main job: synthesise the embedded corpus, compute the locked features, train DuET-MC with
/// the full recipe, and evaluate on the held-out human-style captions beside the zero-shot baseline.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the whole pipeline on the embedded synthetic corpus and print the retrieval table.",
        discussion: """
        Stages (each timed, each resumable: rerunning skips finished work): 1. render --count clips with \
        FluidSynth, and the out-of-world test split (OpenMSX MIDI files, held-out OPL-3 soundfont, its own \
        phrase book) into --out-of-world; 2. musicnn and MiniLM features into the cache; 3. train with \
        --config (default: the built-in Configs/demo.json: full recipe, smaller than the paper's); 4. evaluate \
        on the in-world test split's human-style captions and on the out-of-world split, with the zero-shot \
        baseline; 5. index the test clips into --run/library.sqlite and run three example searches. The \
        checkpoint is left in --run/best.
        """)

    @Option(help: "Corpus folder.") var data = "data/demo"
    @Option(name: .customLong("run"), help: "Run folder.") var runPath = "runs/demo"
    @Option(help: "Number of clips to synthesise.") var count = 1000
    @Option(help: "Corpus seed.") var seed: UInt64 = 0
    @Option(help: "Training configuration (default: the demo's, Configs/demo.json, built into duet).") var config: String?
    @Option(help: "Out-of-world test split folder (never read by training).") var outOfWorld = "data/demo-out-of-world"

    func run() throws {
        let clock = ContinuousClock()
        var timings: [(String, Double)] = []
        func stage<T>(_ name: String, _ body: () throws -> T) throws -> T {
            FileHandle.standardError.write(Data("== \(name)\n".utf8))
            let start = clock.now
            let result = try body()
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            timings.append((name, seconds))
            FileHandle.standardError.write(Data("== \(name): \(String(format: "%.1f", seconds)) s\n".utf8))
            return result
        }

        let dataFolder = URL(fileURLWithPath: data, isDirectory: true)
        let manifestURL = dataFolder.appendingPathComponent("manifest.jsonl")
        try stage("1. synthesise \(count) clips") {
            if Self.corpusIsComplete(manifestURL, count: count) {
                FileHandle.standardError.write(Data("corpus already in \(data)\n".utf8))
                return
            }
            let options = CorpusWriter.Options(count: count, seed: seed, seconds: 10, sampleRate: 16000, directory: dataFolder)
            let progress = ProgressBar(label: "rendering", total: count)
            _ = try CorpusWriter.write(options) { done, _ in progress.update(completed: done) }
            progress.finish()
        }
        let outOfWorldFolder = URL(fileURLWithPath: outOfWorld, isDirectory: true)
        let outOfWorldManifest = outOfWorldFolder.appendingPathComponent("manifest.jsonl")
        try stage("1b. out-of-world test split") {
            if FileManager.default.fileExists(atPath: outOfWorldManifest.path) {
                FileHandle.standardError.write(Data("out-of-world split already in \(outOfWorld)\n".utf8))
                return
            }
            let entries = try OutOfWorldCorpus.write(.init(directory: outOfWorldFolder)) { _, _ in }
            FileHandle.standardError.write(Data("out-of-world split: \(entries.count) clips\n".utf8))
        }
        let configuration = try config.map { try TrainingConfiguration.load(from: URL(fileURLWithPath: $0)) } ?? .bundledDemo()
        let encoders = Encoders()
        let dataset = try stage("2. audio features") {
            try PreparedDataset.load(
                manifestURL: manifestURL, splits: [.train, .valid, .test],
                audioFeatures: [configuration.audioFeatureKind], encoders: encoders)
        }
        let outOfWorldDataset = try stage("2b. out-of-world audio features") {
            try PreparedDataset.load(
                manifestURL: outOfWorldManifest, splits: [.test], audioFeatures: [configuration.audioFeatureKind], encoders: encoders)
        }
        let outcome = try stage("3. train (texts, MiniLM features, DuET-MC)") {
            try TrainingPipeline(configuration: configuration, dictionary: try SwapDictionary.bundled())
                .train(dataset: dataset, encoders: encoders, runFolder: URL(fileURLWithPath: runPath), resume: true)
        }
        let report = try stage("4. evaluate") { () throws -> EvaluationReport in
            let evaluation = RetrievalEvaluation()
            let model = try ModelCheckpoint.loadModel(from: outcome.bestCheckpoint)
            let inWorld = "in-world test (synth human captions)"
            let outside = "out-of-world test (OpenMSX, OPL-3, own phrase book)"
            var report = EvaluationReport(datasets: [inWorld, outside])
            report.rows.append(try evaluation.zeroShotRow(
                datasets: [inWorld: dataset, outside: outOfWorldDataset], encoders: encoders))
            report.rows.append(.init(
                model: "DuET-MC (\(model.configuration.encoderSummary))",
                recipe: configuration.recipe,
                results: [
                    inWorld: try evaluation.evaluate(model: model, dataset: dataset, encoders: encoders),
                    outside: try evaluation.evaluate(model: model, dataset: outOfWorldDataset, encoders: encoders),
                ]))
            let runFolder = URL(fileURLWithPath: runPath)
            try report.markdown().write(to: runFolder.appendingPathComponent("report.md"), atomically: true, encoding: .utf8)
            try report.json().write(to: runFolder.appendingPathComponent("report.json"))
            return report
        }
        let database = URL(fileURLWithPath: runPath).appendingPathComponent("library.sqlite").path
        let searches = try stage("5. index the test clips and search") { () throws -> [(String, [SearchHit])] in
            let model = try SearchModel(checkpoint: outcome.bestCheckpoint)
            _ = try DemoSearch.indexTestClips(
                manifestURL: manifestURL, folder: dataFolder.appendingPathComponent("test-clips", isDirectory: true),
                database: database, model: model)
            let library = try LibrarySearch(catalog: try SQLiteCatalog(path: database), name: database, model: model)
            return try DemoSearch.queries.map { ($0, try library.search(text: $0, options: SearchOptions(count: 5))) }
        }
        print("")
        print(report.markdown())
        print("Training: \(outcome.epochsCompleted) epochs (\(outcome.reason.rawValue)), best epoch \(outcome.bestEpoch); checkpoint \(outcome.bestCheckpoint.path)")
        print("Curves: \(runPath)/loss.svg, \(runPath)/recall.svg; report: \(runPath)/report.md")
        print("")
        print("| stage | seconds |")
        print("|---|--:|")
        for (name, seconds) in timings { print("| \(name) | \(String(format: "%.1f", seconds)) |") }
        print("| total | \(String(format: "%.1f", timings.map(\.1).reduce(0, +))) |")
        print("")
        print("Search over the indexed test clips (catalogue \(database)), top 5 with musicnn tags:")
        for (query, hits) in searches {
            print("  \"\(query)\"")
            for hit in hits {
                print(String(format: "    %.3f  %@  %@", hit.score, hit.track.displayTitle as NSString,
                             hit.track.musicnnTags.joined(separator: ", ") as NSString))
            }
        }
        print("Search it yourself: duet search \"a calm piano piece\" --db \(database)")
        print("Web page: duet serve --db \(database)")
    }

    /// A finished corpus: its manifest has `count` lines (the manifest is written last).
    static func corpusIsComplete(_ manifest: URL, count: Int) -> Bool {
        guard let text = try? String(contentsOf: manifest, encoding: .utf8) else { return false }
        return text.split(separator: "\n").count == count
    }
}
