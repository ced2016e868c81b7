import ArgumentParser
import DuetData
import DuetSearch
import DuetTraining
import Foundation

/// `duet import FORMAT FILE --output MANIFEST`: manifests from the formats datasets ship in.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Make a Duet manifest from a dataset's own files.",
        discussion: "Unknown columns and malformed rows are reported with their line numbers; nothing is written then.",
        subcommands: [MTGJamendo.self, MusicCaps.self, SongDescriber.self, LPMusicCaps.self, GenericCSV.self, Library.self])

    struct Common: ParsableArguments {
        @Argument(help: "The source file.") var source: String
        @Option(name: .shortAndLong, help: "The manifest to write (JSONL).") var output: String
        @Option(help: "Prefix joined to the source's audio paths (relative to the manifest's folder).") var audioRoot = ""
        @Option(help: "The split for items whose source does not give one (train, valid, test).") var split: String?
        @Option(help: "A tag vocabulary (JSON): tags are rewritten to their canonical names.") var vocabulary: String?
        @Flag(help: "Accept columns the format does not define.") var allowExtraColumns = false
        @Flag(help: "Replace an existing --output manifest.") var force = false

        func validate() throws {
            try OutputPath.check(output, option: "--output", inputs: [source] + [vocabulary].compactMap { $0 }, replacingExisting: force)
        }

        func options(audioTemplate: String = "audio/{id}.wav") throws -> ImportOptions {
            var parsedSplit: Split?
            if let split {
                guard let value = Split(rawValue: split) else { throw ValidationError("--split must be train, valid or test") }
                parsedSplit = value
            }
            return ImportOptions(
                split: parsedSplit, audioRoot: audioRoot, audioTemplate: audioTemplate,
                vocabulary: try vocabulary.map { try TagVocabulary.load(from: URL(fileURLWithPath: $0)) },
                allowExtraColumns: allowExtraColumns)
        }

        var sourceURL: URL { URL(fileURLWithPath: source) }

        func write(_ entries: [ManifestEntry]) throws {
            try Manifest.write(entries, to: URL(fileURLWithPath: output))
            let statistics = ManifestStatistics(entries: entries, topCount: 5)
            print("wrote \(entries.count) items to \(output)\n" + statistics.summary)
        }
    }

    struct MTGJamendo: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mtg-jamendo", abstract: "MTG-Jamendo TSV (TRACK_ID ARTIST_ID ALBUM_ID PATH DURATION TAGS...).")
        @OptionGroup var common: Common
        func run() throws { try common.write(MTGJamendoImporter.entries(from: common.sourceURL, options: common.options())) }
    }

    struct MusicCaps: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "musiccaps", abstract: "MusicCaps CSV (ytid, start_s, end_s, aspect_list, caption, ...); split defaults to test.")
        @OptionGroup var common: Common
        @Option(help: "Audio path pattern; {id} is the YouTube id.") var audioTemplate = "audio/{id}.wav"
        func run() throws {
            try common.write(MusicCapsImporter.entries(from: common.sourceURL, options: common.options(audioTemplate: audioTemplate)))
        }
    }

    struct SongDescriber: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "song-describer", abstract: "Song Describer CSV; the captions of a track become one item; split defaults to test.")
        @OptionGroup var common: Common
        @Flag(help: "Keep only captions of the validated subset (is_valid_subset).") var validOnly = false
        func run() throws {
            try common.write(SongDescriberImporter.entries(from: common.sourceURL, options: common.options(), validOnly: validOnly))
        }
    }

    struct LPMusicCaps: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lp-musiccaps", abstract: "LP-MusicCaps caption file (JSON, JSON lines or CSV with track_id, tag, caption_*).")
        @OptionGroup var common: Common
        @Option(help: "Audio path pattern for records without a path; {id} is the track id.") var audioTemplate = "audio/{id}.mp3"
        func run() throws {
            try common.write(LPMusicCapsImporter.entries(from: common.sourceURL, options: common.options(audioTemplate: audioTemplate)))
        }
    }

    struct GenericCSV: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "csv", abstract: "Any CSV, with its columns named here; every column must be used or ignored.")
        @OptionGroup var common: Common
        @Option(help: "Column of the item id.") var idColumn: String
        @Option(help: "Column of the audio path (otherwise --audio-template).") var audioColumn: String?
        @Option(help: "Audio path pattern when there is no audio column; {id} is the item id.") var audioTemplate = "audio/{id}.wav"
        @Option(help: "CATEGORY=COLUMN, e.g. genre=genres (repeatable).") var tagColumn: [String] = []
        @Option(help: "Separator between the tags of one cell.") var tagSeparator = ";"
        @Option(help: "Caption column (repeatable).") var captionColumn: [String] = []
        @Option(help: "Column holding train/valid/test.") var splitColumn: String?
        @Option(help: "Column of the segment start in seconds.") var startColumn: String?
        @Option(help: "Column of the segment end in seconds.") var endColumn: String?
        @Option(help: "Column copied into metadata (repeatable).") var metadataColumn: [String] = []
        @Option(help: "Column to ignore (repeatable).") var ignoreColumn: [String] = []

        func run() throws {
            var importer = GenericCSVImporter(idColumn: idColumn, audioColumn: audioColumn)
            for pair in tagColumn {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw ValidationError("--tag-column takes CATEGORY=COLUMN, got '\(pair)'")
                }
                importer.tagColumns[parts[0]] = parts[1]
            }
            guard tagSeparator.count == 1 else { throw ValidationError("--tag-separator must be one character") }
            importer.tagSeparator = tagSeparator.first!
            importer.captionColumns = captionColumn
            importer.splitColumn = splitColumn
            importer.startColumn = startColumn
            importer.endColumn = endColumn
            importer.metadataColumns = metadataColumn
            importer.ignoredColumns = ignoreColumn
            try common.write(importer.entries(from: common.sourceURL, options: common.options(audioTemplate: audioTemplate)))
        }
    }

    struct Library: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "library",
            abstract: "Your own tagged music: file tags (TagLib) to genre, mood, instrument, tempo and era; split by album.",
            discussion: """
            Reads GENRE, MOOD, COMMENT, BPM and DATE of every audio file under the folders (wav, flac, ogg, opus, \
            mp3; hidden files skipped). Tracks without a genre, mood or instrument tag are left out and listed. \
            No album is in two splits. Then: duet train --manifest MANIFEST (Docs/manifest.md, README "Train on \
            your own library").
            """)

        @Argument(help: "Folders of music.") var folders: [String]
        @Option(name: .shortAndLong, help: "The manifest to write (JSONL).") var output: String
        @Option(help: "Share of tracks (by album) for the valid split.") var validFraction = 0.1
        @Option(help: "Share of tracks (by album) for the test split.") var testFraction = 0.1
        @Option(help: "Seed of the album split.") var seed: UInt64 = 0
        @Flag(help: "Replace an existing --output manifest.") var force = false

        func validate() throws {
            try OutputPath.check(output, option: "--output", inputs: [], replacingExisting: force)
            for (name, value) in [("--valid-fraction", validFraction), ("--test-fraction", testFraction)]
            where !GroupedSplit.fractionRange.contains(value) {
                throw ValidationError("\(name) must be between 0 and \(GroupedSplit.fractionRange.upperBound), got \(value)")
            }
        }

        func run() throws {
            var importer = LibraryImporter(mapper: LibraryTagMapper(dictionary: try SwapDictionary.bundled()))
            importer.validFraction = validFraction
            importer.testFraction = testFraction
            importer.seed = seed
            let manifest = URL(fileURLWithPath: output)
            // The total is known once the walk is done, at the first file.
            var progress: ProgressBar?
            let report = try importer.run(folders: folders.map { URL(fileURLWithPath: $0, isDirectory: true) }, manifest: manifest) { done, total in
                if progress == nil { progress = ProgressBar(label: "reading tags", total: total) }
                progress?.update(completed: done)
            }
            progress?.finish()
            guard !report.entries.isEmpty else {
                throw ValidationError("no track under \(folders.joined(separator: ", ")) has a usable tag; nothing written\n" + report.summary)
            }
            try Manifest.write(report.entries, to: manifest)
            print("wrote \(report.entries.count) items to \(output)\n" + report.summary + "\n"
                + ManifestStatistics(entries: report.entries, topCount: 5).summary)
        }
    }
}
