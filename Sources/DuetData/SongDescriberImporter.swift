import Foundation

/// Imports the Song Describer Dataset CSV (`song_describer.csv`).
///
/// Columns: `caption_id, track_id, caption, is_valid_subset, familiarity, artist_id, album_id,
/// path, duration`. Several rows describe the same track; they become one item (id = `track_id`)
/// whose captions are the rows' captions in file order. `path` (e.g. `00/1051200.2min.mp3`) is
/// joined to `audioRoot`. With `validOnly`, rows outside the validated subset are left out. The
/// split defaults to `test`. Rows of one track that disagree on path, artist or album are errors.
public enum SongDescriberImporter {
    public static let columns = [
        "caption_id", "track_id", "caption", "is_valid_subset", "familiarity", "artist_id", "album_id", "path", "duration",
    ]

    public static func entries(from url: URL, options: ImportOptions = ImportOptions(), validOnly: Bool = false) throws -> [ManifestEntry] {
        let table = try DelimitedTable(url: url, required: ["caption_id", "track_id", "caption", "path"], optional: columns,
                                       allowExtra: options.allowExtraColumns)
        var problems = table.problems
        var order: [String] = []
        var items: [String: (line: Int, entry: ManifestEntry, captionIds: [String])] = [:]
        var captionLines: [String: Int] = [:]
        for row in table.wellFormedRows {
            let trackId = table.value(row, "track_id")
            let captionId = table.value(row, "caption_id")
            let caption = table.value(row, "caption")
            let path = table.value(row, "path")
            var rowProblems: [String] = []
            if trackId.isEmpty { rowProblems.append("empty track_id") }
            if caption.isEmpty { rowProblems.append("empty caption") }
            if path.isEmpty { rowProblems.append("empty path") }
            if let first = captionLines[captionId] { rowProblems.append("caption_id \(captionId) already used on line \(first)") }
            var valid = true
            if table.has("is_valid_subset") {
                if let flag = FieldParsing.bool(table.value(row, "is_valid_subset")) { valid = flag } else {
                    rowProblems.append("is_valid_subset must be True or False, not '\(table.value(row, "is_valid_subset"))'")
                }
            }
            let duration = table.value(row, "duration")
            if !duration.isEmpty, Double(duration) == nil { rowProblems.append("duration '\(duration)' is not a number") }
            let metadata = ["artist_id": table.value(row, "artist_id"), "album_id": table.value(row, "album_id"), "duration": duration]
                .filter { !$0.value.isEmpty }
            if let existing = items[trackId] {
                if existing.entry.audio != options.audioPath(path) || existing.entry.metadata?["artist_id"] != metadata["artist_id"]
                    || existing.entry.metadata?["album_id"] != metadata["album_id"]
                {
                    rowProblems.append("track \(trackId) has a different path, artist or album than on line \(existing.line)")
                }
            }
            if !rowProblems.isEmpty {
                problems += rowProblems.map { LineProblem(line: row.line, message: $0) }
                continue
            }
            captionLines[captionId] = row.line
            if validOnly && !valid { continue }
            if var existing = items[trackId] {
                existing.entry.captions?.append(caption)
                existing.captionIds.append(captionId)
                items[trackId] = existing
            } else {
                order.append(trackId)
                let entry = ManifestEntry(id: trackId, audio: options.audioPath(path), tags: [:], captions: [caption],
                                          split: options.split ?? .test, metadata: metadata)
                items[trackId] = (row.line, entry, [captionId])
            }
        }
        if !problems.isEmpty { throw ImportError(path: url.path, problems: problems.sorted { $0.line < $1.line }) }
        return order.map { id in
            var entry = items[id]!.entry
            entry.metadata?["caption_ids"] = items[id]!.captionIds.joined(separator: ",")
            return entry
        }
    }
}
