import ArgumentParser
import DuetSearch
import Foundation

/// `duet search "text"`: the indexed tracks that best match a description.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find tracks in an indexed library by free text, e.g. \"slow melancholic piano\".",
        discussion: "Exact cosine top-k over every indexed track, through the trained model's text branch. See Docs/search.md.")

    @Argument(help: "The description to search for.") var text: String
    @OptionGroup var library: LibraryOptions

    func validate() throws {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ValidationError("the query is empty; give some words, e.g. \"slow melancholic piano\"")
        }
    }

    func run() throws {
        let search = try library.open()
        try library.report(try search.search(text: text, options: library.searchOptions))
    }
}
