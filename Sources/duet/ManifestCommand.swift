import ArgumentParser
import DuetData
import Foundation

/// `duet manifest`: the manifest format, and validation and statistics of a manifest file.
struct ManifestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manifest",
        abstract: "Validate a Duet manifest or print its statistics.",
        discussion: """
            A manifest is a JSONL file, one item per line (Docs/manifest.md):
              id        unique string
              audio     audio path, relative to the manifest's folder
              start     optional segment start, seconds (>= 0)
              end       optional segment end, seconds (> start)
              tags      category -> list of tags ({} for none), e.g.
                        {"genre":["jazz"],"mood":["calm"],"instrument":["piano"]}
              captions  optional list of captions
              split     train, valid or test
              metadata  optional object of strings

            Validation lists every problem with its line: malformed JSON,
            unknown fields, wrong types, duplicated ids, end before start,
            tags outside the vocabulary (--vocabulary), and missing audio
            files, all together (--skip-missing-audio drops those items).

            A vocabulary is JSON: category -> canonical tag -> synonyms,
            {"name":"duet-synth","categories":{"genre":{"hip hop":["rap"]}}}
            """,
        subcommands: [Validate.self, Stats.self])

    struct LoadOptions: ParsableArguments {
        @Argument(help: "The manifest (JSONL).") var manifest: String
        @Option(help: "A tag vocabulary (JSON) that every tag of its categories must belong to.") var vocabulary: String?
        @Flag(help: "Drop items whose audio file is missing instead of failing.") var skipMissingAudio = false
        @Flag(help: "Do not check that audio files exist.") var noCheckAudio = false

        func load() throws -> Manifest {
            let vocabulary = try self.vocabulary.map { try TagVocabulary.load(from: URL(fileURLWithPath: $0)) }
            return try Manifest.load(
                from: URL(fileURLWithPath: manifest),
                options: ManifestLoadOptions(checkAudio: !noCheckAudio, skipMissingAudio: skipMissingAudio, vocabulary: vocabulary))
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every line of a manifest; print each problem with its line number.")
        @OptionGroup var options: LoadOptions

        func run() throws {
            let manifest = try options.load()
            guard !manifest.entries.isEmpty || !manifest.skipped.isEmpty else {
                throw ValidationError("\(options.manifest) holds no items (it is empty or only blank lines); see `duet manifest --help` for the format")
            }
            print("\(options.manifest): \(manifest.entries.count) valid items" + (manifest.skipped.isEmpty ? "" : ", \(manifest.skipped.count) skipped (audio missing): " + manifest.skipped.prefix(20).map(\.id).joined(separator: ", ")))
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print items per split, tags per category, captions and hours.")
        @OptionGroup var options: LoadOptions
        @Option(help: "How many of the most frequent tags to list per category.") var top = 10
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let manifest = try options.load()
            let statistics = ManifestStatistics(entries: manifest.entries, topCount: top)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                print(String(decoding: try encoder.encode(statistics), as: UTF8.self))
            } else {
                print(statistics.summary)
            }
        }
    }
}
