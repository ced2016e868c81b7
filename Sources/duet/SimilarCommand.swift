import ArgumentParser
import DuetSearch
import Foundation

/// `duet similar FILE|ID...`: "more like this" from one or more seeds.
struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "Find tracks that sound like one or more seeds (audio files or track ids).",
        discussion: """
        Several seeds are averaged (the normalised mean of their vectors); indexed seeds are left out of the \
        results. A file that is not in the catalogue is embedded on the fly with the catalogue's model.
        """)

    @Argument(help: "Seeds: audio files, or track ids as printed by `duet search`.") var seeds: [String]
    @OptionGroup var library: LibraryOptions

    func validate() throws {
        guard !seeds.isEmpty else { throw ValidationError("give at least one seed: a file or a track id") }
        for seed in seeds where Int64(seed) == nil && !FileManager.default.fileExists(atPath: seed) {
            throw ValidationError("\(seed) is neither a track id nor an existing file")
        }
    }

    func run() throws {
        let search = try library.open()
        let parsed: [SimilarSeed] = seeds.map { seed in
            if let id = Int64(seed), !FileManager.default.fileExists(atPath: seed) { return .track(id: id) }
            return .file(URL(fileURLWithPath: seed))
        }
        try library.report(try search.similar(to: parsed, options: library.searchOptions))
    }
}
