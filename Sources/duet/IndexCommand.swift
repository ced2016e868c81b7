import ArgumentParser
import DuetCatalog
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
    @Option(help: "The catalogue to create or update.") var db = "library.sqlite"
    @Option(help: "Segments per track (\(SearchModel.segmentCountRange.lowerBound)-\(SearchModel.segmentCountRange.upperBound)).")
    var segments = SearchModel.defaultSegmentCount
    @Flag(help: "Only list the files that failed, with the reason, and exit.") var failures = false
    @Flag(help: "Print the run's summary as JSON.") var json = false

    func validate() throws {
        guard SearchModel.segmentCountRange.contains(segments) else {
            throw ValidationError("--segments must be between \(SearchModel.segmentCountRange.lowerBound) and \(SearchModel.segmentCountRange.upperBound), got \(segments)")
        }
        if failures { return }
        guard !folders.isEmpty else { throw ValidationError("give at least one folder to index") }
        for folder in folders {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("\(folder) is not a folder")
            }
        }
        try OutputPath.check(db, option: "--db")
    }

    func run() throws {
        if failures {
            guard FileManager.default.fileExists(atPath: db) else { throw ValidationError("no catalogue at \(db)") }
            let recorded = try SQLiteCatalog(path: db).failures()
            if recorded.isEmpty { print("no failures recorded in \(db)") }
            for failure in recorded { print("\(failure.kind.rawValue): \(failure.message)") }
            return
        }
        let model = try SearchModel(checkpoint: URL(fileURLWithPath: modelPath, isDirectory: true), segmentCount: segments)
        let indexer = LibraryIndexer(model: model, catalog: try SQLiteCatalog(path: db))
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
        if older > 0 { print("\(older) earlier failures not retried (unchanged); list them with `duet index --failures --db \(db)`") }
        print("catalogue: \(db)")
    }
}
