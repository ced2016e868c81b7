import Foundation

/// Imports an MTG-Jamendo split file (`autotagging.tsv`, `split-0/autotagging-train.tsv`, ...).
///
/// The format: a header `TRACK_ID ARTIST_ID ALBUM_ID PATH DURATION TAGS`, then one track per line,
/// tab-separated, with one tag per trailing column written as `genre---rock`,
/// `mood/theme---calm`, `instrument---piano`; tags go to the categories `genre`, `mood` and
/// `instrument`. The path (e.g. `14/214.mp3`) is joined to `audioRoot`; artist, album and
/// duration become metadata. The file has no quoting, so fields are split on tabs.
public enum MTGJamendoImporter {
    public static let header = ["TRACK_ID", "ARTIST_ID", "ALBUM_ID", "PATH", "DURATION", "TAGS"]
    public static let prefixes = ["genre---": TagCategory.genre, "mood/theme---": TagCategory.mood, "instrument---": TagCategory.instrument]

    public static func entries(from url: URL, options: ImportOptions = ImportOptions()) throws -> [ManifestEntry] {
        let lines = TextFile.lines(of: try TextFile.read(url))
        var problems: [LineProblem] = []
        let headerFields = lines.first.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) } ?? []
        if headerFields != header {
            throw ImportError(path: url.path, problems: [LineProblem(
                line: 1, message: "expected the header \(header.joined(separator: "<TAB>")), found \(headerFields.joined(separator: "<TAB>"))")])
        }
        var entries: [ManifestEntry] = []
        var firstLine: [String: Int] = [:]
        for (offset, line) in lines.enumerated().dropFirst() where !line.allSatisfy(\.isWhitespace) {
            let number = offset + 1
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 5 else {
                problems.append(LineProblem(line: number, message: "expected at least 5 tab-separated fields, found \(fields.count)"))
                continue
            }
            let (id, artist, album, path, durationText) = (fields[0], fields[1], fields[2], fields[3], fields[4])
            var rowProblems: [String] = []
            if id.isEmpty { rowProblems.append("empty TRACK_ID") }
            if path.isEmpty { rowProblems.append("empty PATH") }
            if Double(durationText) == nil { rowProblems.append("DURATION '\(durationText)' is not a number") }
            if let first = firstLine[id] { rowProblems.append("track \(id) already listed on line \(first)") }
            var tags: [String: [String]] = [:]
            for raw in fields.dropFirst(5) where !raw.isEmpty {
                guard let (prefix, category) = prefixes.first(where: { raw.hasPrefix($0.key) }) else {
                    rowProblems.append("tag '\(raw)' has no known prefix (genre---, mood/theme---, instrument---)")
                    continue
                }
                let tag = String(raw.dropFirst(prefix.count))
                if tag.isEmpty { rowProblems.append("empty tag after '\(prefix)'") } else if !(tags[category] ?? []).contains(tag) {
                    tags[category, default: []].append(tag)
                }
            }
            if !rowProblems.isEmpty {
                problems += rowProblems.map { LineProblem(line: number, message: $0) }
                continue
            }
            firstLine[id] = number
            entries.append(ManifestEntry(
                id: id, audio: options.audioPath(path), tags: options.canonical(tags), split: options.split ?? .train,
                metadata: ["artist_id": artist, "album_id": album, "duration": durationText]))
        }
        if !problems.isEmpty { throw ImportError(path: url.path, problems: problems) }
        return entries
    }
}
