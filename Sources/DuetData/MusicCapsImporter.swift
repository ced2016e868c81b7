import Foundation

/// Imports the MusicCaps CSV (`musiccaps-public.csv`).
///
/// Columns: `ytid, start_s, end_s, audioset_positive_labels, aspect_list, caption, author_id,
/// is_balanced_subset, is_audioset_eval`. The item id is the YouTube id, the segment is
/// `[start_s, end_s]`, the caption is the one human caption, the aspect list (a Python list
/// literal) becomes the tag category `aspect`. Audio paths come from `audioTemplate` (default
/// `audio/{id}.wav`) since the CSV has none. MusicCaps is an evaluation set: the split defaults
/// to `test`.
public enum MusicCapsImporter {
    public static let columns = [
        "ytid", "start_s", "end_s", "audioset_positive_labels", "aspect_list", "caption", "author_id",
        "is_balanced_subset", "is_audioset_eval",
    ]

    public static func entries(from url: URL, options: ImportOptions = ImportOptions()) throws -> [ManifestEntry] {
        let table = try DelimitedTable(url: url, required: ["ytid", "start_s", "end_s", "aspect_list", "caption"],
                                       optional: columns, allowExtra: options.allowExtraColumns)
        var problems = table.problems
        var entries: [ManifestEntry] = []
        var firstLine: [String: Int] = [:]
        for row in table.wellFormedRows {
            let id = table.value(row, "ytid")
            var rowProblems: [String] = []
            if id.isEmpty { rowProblems.append("empty ytid") }
            if let first = firstLine[id] { rowProblems.append("ytid \(id) already listed on line \(first)") }
            let start = Double(table.value(row, "start_s"))
            let end = Double(table.value(row, "end_s"))
            if let start, let end, start.isFinite, end.isFinite {
                if start < 0 { rowProblems.append("start_s must not be negative (got \(table.value(row, "start_s")))") }
                if end <= start { rowProblems.append("end_s must be after start_s") }
            } else {
                rowProblems.append("start_s and end_s must be finite numbers (got '\(table.value(row, "start_s"))' and '\(table.value(row, "end_s"))')")
            }
            let aspects = FieldParsing.list(table.value(row, "aspect_list"))
            if aspects == nil { rowProblems.append("aspect_list is not a list literal: \(table.value(row, "aspect_list"))") }
            let caption = table.value(row, "caption")
            if caption.isEmpty { rowProblems.append("empty caption") }
            var flags: [String: String] = [:]
            for column in ["is_balanced_subset", "is_audioset_eval"] where table.has(column) {
                guard let flag = FieldParsing.bool(table.value(row, column)) else {
                    rowProblems.append("\(column) must be True or False, not '\(table.value(row, column))'")
                    continue
                }
                flags[column] = flag ? "true" : "false"
            }
            if !rowProblems.isEmpty {
                problems += rowProblems.map { LineProblem(line: row.line, message: $0) }
                continue
            }
            firstLine[id] = row.line
            var metadata = flags
            for column in ["author_id", "audioset_positive_labels"] where table.has(column) {
                metadata[column] = table.value(row, column)
            }
            let tags: [String: [String]] = (aspects ?? []).isEmpty ? [:] : ["aspect": aspects!]
            entries.append(ManifestEntry(
                id: id, audio: options.audioPath(id: id), start: start, end: end, tags: options.canonical(tags),
                captions: [caption], split: options.split ?? .test, metadata: metadata))
        }
        if !problems.isEmpty { throw ImportError(path: url.path, problems: problems.sorted { $0.line < $1.line }) }
        return entries
    }
}
