import Foundation

/// Imports LP-MusicCaps pseudo-caption files (MTT, MSD or MC variants) in JSON, JSONL or CSV.
///
/// A record has `track_id`, its tags in `tag` or `tags` (a list, a list literal or a
/// comma-separated string), and up to four captions: `caption_writing`, `caption_summary`,
/// `caption_paraphrase`, `caption_attribute_prediction` (all kept, in that order). Optional:
/// `path` (joined to `audioRoot`; otherwise `audioTemplate`), `split`, and the MSD metadata
/// `title`, `artist_name`, `release`, `year`. JSON may be an array of records or an object of
/// records keyed by track id. The tags are uncategorised in the source: with a vocabulary each tag
/// goes to the category that knows it, the rest (or all, without one) to the category `tag`.
public enum LPMusicCapsImporter {
    public static let captionFields = ["caption_writing", "caption_summary", "caption_paraphrase", "caption_attribute_prediction"]
    public static let metadataFields = ["title", "artist_name", "release", "year"]
    public static let knownFields = Set(["track_id", "tag", "tags", "path", "split", "pseudo_attribute", "is_crawled"]
        + captionFields + metadataFields)

    public static func entries(from url: URL, options: ImportOptions = ImportOptions()) throws -> [ManifestEntry] {
        let records: [(line: Int, fields: [String: Any])]
        if url.pathExtension.lowercased() == "csv" {
            let table = try DelimitedTable(url: url, required: ["track_id"], optional: Array(knownFields), allowExtra: options.allowExtraColumns)
            if !table.problems.isEmpty { throw ImportError(path: url.path, problems: table.problems) }
            if !table.has("tag") && !table.has("tags") {
                throw ImportError(path: url.path, problems: [LineProblem(line: 1, message: "missing column tag (or tags)")])
            }
            records = table.wellFormedRows.map { row in
                (row.line, Dictionary(uniqueKeysWithValues: table.header.map { ($0, table.value(row, $0) as Any) }))
            }
        } else {
            records = try jsonRecords(url)
        }
        var problems: [LineProblem] = []
        var entries: [ManifestEntry] = []
        var firstLine: [String: Int] = [:]
        for (line, fields) in records {
            var rowProblems: [String] = []
            let unknown = fields.keys.filter { !knownFields.contains($0) }.sorted()
            if !options.allowExtraColumns, !unknown.isEmpty { rowProblems.append("unknown field\(unknown.count > 1 ? "s" : "") \(unknown.joined(separator: ", "))") }
            let id = (fields["track_id"].map { "\($0)" } ?? "").trimmingCharacters(in: .whitespaces)
            if id.isEmpty { rowProblems.append("missing track_id") }
            if let first = firstLine[id] { rowProblems.append("track_id \(id) already listed on line \(first)") }
            var tagList: [String]?
            switch fields["tag"] ?? fields["tags"] {
            case let list as [Any]: tagList = list.map { "\($0)".trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            case let text as String: tagList = FieldParsing.list(text)
            default: tagList = nil
            }
            if tagList == nil { rowProblems.append("tag must be a list of strings") }
            let captions = captionFields.compactMap { field -> String? in
                guard let text = fields[field] as? String else { return nil }
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                return trimmed.isEmpty ? nil : trimmed
            }
            if captions.isEmpty { rowProblems.append("no caption (expected one of \(captionFields.joined(separator: ", ")))") }
            var split = options.split ?? .train
            if let text = fields["split"] as? String, !text.isEmpty {
                if let parsed = FieldParsing.split(text) { split = parsed } else { rowProblems.append("unknown split '\(text)'") }
            }
            if !rowProblems.isEmpty {
                problems += rowProblems.map { LineProblem(line: line, message: $0) }
                continue
            }
            firstLine[id] = line
            var tags: [String: [String]] = [:]
            for tag in tagList ?? [] {
                let category = options.vocabulary?.categories.keys.sorted().first { options.vocabulary?.canonical(tag, in: $0) != nil } ?? "tag"
                if !(tags[category] ?? []).contains(tag) { tags[category, default: []].append(tag) }
            }
            let path = (fields["path"] as? String).flatMap { $0.isEmpty ? nil : $0 }
            var metadata: [String: String] = [:]
            for field in metadataFields { if let value = fields[field], !"\(value)".isEmpty, !(value is NSNull) { metadata[field] = "\(value)" } }
            entries.append(ManifestEntry(
                id: id, audio: path.map { options.audioPath($0) } ?? options.audioPath(id: id), tags: options.canonical(tags),
                captions: captions, split: split, metadata: metadata.isEmpty ? nil : metadata))
        }
        if !problems.isEmpty { throw ImportError(path: url.path, problems: problems.sorted { $0.line < $1.line }) }
        return entries
    }

    /// Records of a JSON array, a JSON object keyed by id, or JSON lines, with their line numbers
    /// (for JSON documents: the line where the record's object starts).
    static func jsonRecords(_ url: URL) throws -> [(line: Int, fields: [String: Any])] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DataFileError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        let text = try TextFile.decode(data, path: url.path)
        if let document = try? JSONSerialization.jsonObject(with: data) {
            let starts = objectStartLines(text)
            if let array = document as? [Any] {
                return try array.enumerated().map { index, value in
                    guard let object = value as? [String: Any] else {
                        throw ImportError(path: url.path, problems: [LineProblem(line: starts[safe: index] ?? 1, message: "record \(index + 1) is not an object")])
                    }
                    return (starts[safe: index] ?? 1, object)
                }
            }
            if let map = document as? [String: Any] {
                if map["track_id"] != nil { return [(1, map)] }
                return try map.keys.sorted().map { key in
                    guard var object = map[key] as? [String: Any] else {
                        throw ImportError(path: url.path, problems: [LineProblem(line: 1, message: "record '\(key)' is not an object")])
                    }
                    if object["track_id"] == nil { object["track_id"] = key }
                    let line = text.range(of: "\"\(key)\"").map { text[..<$0.lowerBound].filter { $0 == "\n" }.count + 1 } ?? 1
                    return (line, object)
                }
            }
        }
        var records: [(line: Int, fields: [String: Any])] = []
        var problems: [LineProblem] = []
        for (offset, line) in TextFile.lines(of: text).enumerated()
        where !line.allSatisfy(\.isWhitespace) {
            if let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] {
                records.append((offset + 1, object))
            } else {
                problems.append(LineProblem(line: offset + 1, message: "not a JSON object (expected a JSON array, object or JSON lines)"))
            }
        }
        if !problems.isEmpty { throw ImportError(path: url.path, problems: problems) }
        return records
    }

    /// The lines on which the top-level array's objects start.
    private static func objectStartLines(_ text: String) -> [Int] {
        var lines: [Int] = []
        var depth = 0
        var line = 1
        var inString = false
        var escaped = false
        for character in text {
            if character == "\n" { line += 1 }
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                continue
            }
            switch character {
            case "\"": inString = true
            case "{", "[":
                if depth == 1 && character == "{" { lines.append(line) }
                depth += 1
            case "}", "]": depth -= 1
            default: break
            }
        }
        return lines
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
