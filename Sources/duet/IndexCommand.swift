import ArgumentParser
import DuetCatalog
import DuetCatalogPostgres
import DuetData
import DuetSearch
import Foundation

/// `duet index DIR...`: brings a catalogue up to date with folders of music.
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Index folders of music (WAV, FLAC, OGG, Opus, MP3) into a searchable catalogue.",
        discussion: """
        Incremental: only new or changed files are embedded, deleted ones are dropped, everything is re-embedded \
        when the model changes. Safe to interrupt at any moment; rerun to continue. Bad files are recorded with \
        the reason and listed at the end and by --failures. See Docs/search.md.
        """)

    @Argument(help: "Folders to index (searched recursively).") var folders: [String] = []
    @Option(name: .customLong("model"), help: "Trained checkpoint folder (RUN/best).") var modelPath = "runs/demo/best"
    @Option(help: DatabaseArgument.help) var db = DatabaseArgument.defaultValue
    @Option(help: "Segments per track (\(SearchModel.segmentCountRange.lowerBound)-\(SearchModel.segmentCountRange.upperBound)).")
    var segments = SearchModel.defaultSegmentCount
    @Flag(help: "Only list the files that failed, with the reason, and exit.") var failures = false
    @Flag(help: "Only record the new and changed files in a postgres:// catalogue's work queue, for `duet worker` to embed.")
    var enqueue = false
    @Flag(help: "Print the run's summary as JSON.") var json = false
    @OptionGroup var encoderWeights: EncoderWeightsOptions

    func validate() throws {
        guard SearchModel.segmentCountRange.contains(segments) else {
            throw ValidationError("--segments must be between \(SearchModel.segmentCountRange.lowerBound) and \(SearchModel.segmentCountRange.upperBound), got \(segments)")
        }
        if failures { return }
        if enqueue && !CatalogDatabase.isServer(db) {
            throw ValidationError("--enqueue needs a postgres:// catalogue (--db or \(CatalogDatabase.environmentVariable)); an SQLite file has no work queue")
        }
        guard !folders.isEmpty else { throw ValidationError("give at least one folder to index") }
        for folder in folders {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("\(folder) is not a folder")
            }
        }
        if !CatalogDatabase.isServer(db) { try OutputPath.check(db, option: "--db") }
    }

    func run() throws {
        if failures {
            try DatabaseArgument.requireExisting(db, hint: "index a folder first")
            let recorded = try CatalogDatabase.open(db).failures()
            if recorded.isEmpty { print("no failures recorded in \(CatalogDatabase.displayName(db))") }
            for failure in recorded { print("\(failure.kind.rawValue): \(failure.message)") }
            return
        }
        let model = try SearchModel(
            checkpoint: URL(fileURLWithPath: modelPath, isDirectory: true), segmentCount: segments, encoders: encoderWeights.encoders())
        if enqueue { return try runEnqueue(model: model) }
        let indexer = LibraryIndexer(model: model, catalog: try CatalogDatabase.open(db))
        let report = try indexer.run(folders: folders.map { URL(fileURLWithPath: $0, isDirectory: true) })
        if json {
            let object: [String: Any] = [
                "found": report.found, "embedded": report.embedded, "touched": report.touched, "unchanged": report.unchanged,
                "removed": report.removed, "newFailures": report.newFailures.count, "failures": report.failures.count,
                "modelChanged": report.modelChanged, "seconds": report.seconds,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        if report.modelChanged { print("the model changed: every file was re-embedded") }
        let rate = report.embedded > 0 ? String(format: " (%.2f tracks/s)", Double(report.embedded) / max(report.seconds, 1e-9)) : ""
        print("\(report.found) audio files: \(report.embedded) embedded\(rate), \(report.unchanged) unchanged, \(report.touched) touched, \(report.removed) removed, \(report.newFailures.count) failed")
        for failure in report.newFailures { print("  \(failure.kind.rawValue): \(failure.message)") }
        let older = report.failures.count - report.newFailures.count
        if older > 0 { print("\(older) earlier failures not retried (unchanged); list them with `duet index --failures --db \(CatalogDatabase.displayName(db))`") }
        print("catalogue: \(CatalogDatabase.displayName(db))")
    }

    /// `--enqueue`: adopts the model, drops vanished files, and queues the new and changed ones.
    private func runEnqueue(model: SearchModel) throws {
        let catalog = try PostgresCatalog(url: db)
        let queue = PostgresWorkQueue(catalog: catalog)
        let modelChanged = try catalog.adopt(model.identity)
        let plan = try LibraryIndexer(model: model, catalog: catalog).plan(folders: folders.map { URL(fileURLWithPath: $0, isDirectory: true) })
        try catalog.commit(CatalogBatch(removed: plan.removed))
        try queue.enqueue(plan.work.map { QueuedFile(path: $0.file.path, size: $0.file.size, modified: $0.file.modified) })
        let pending = try queue.pendingCount()
        if json {
            let object: [String: Any] = [
                "found": plan.found, "queued": plan.work.count, "unchanged": plan.unchanged, "removed": plan.removed.count,
                "pending": pending, "modelChanged": modelChanged,
            ]
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
            return
        }
        if modelChanged { print("the model changed: every file is queued again") }
        print("\(plan.found) audio files: \(plan.work.count) queued, \(plan.unchanged) unchanged, \(plan.removed.count) removed; \(pending) waiting in the queue")
        print("start workers with `duet worker --db \(catalog.name)`")
    }
}
