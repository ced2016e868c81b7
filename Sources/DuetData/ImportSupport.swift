import Foundation

/// An import that found problems: every one, each with its line in the source file.
public struct ImportError: Error, LocalizedError, Equatable {
    public var path: String
    public var problems: [LineProblem]

    public var errorDescription: String? {
        let shown = problems.prefix(50).map { "\(path):\($0.line): \($0.message)" }
        var text = "\(path): cannot import (\(problems.count) problem\(problems.count == 1 ? "" : "s")):\n" + shown.joined(separator: "\n")
        if problems.count > shown.count { text += "\n... and \(problems.count - shown.count) more" }
        return text
    }
}

/// Options every importer shares.
public struct ImportOptions: Sendable {
    /// The split given to items whose source does not say (MusicCaps and Song Describer are evaluation sets).
    public var split: Split?
    /// Prefix joined to the audio paths the source gives (e.g. the folder the MTG-Jamendo mp3s live in,
    /// relative to where the manifest will be written).
    public var audioRoot: String
    /// For sources without paths (MusicCaps): the audio path pattern, `{id}` replaced by the item id.
    public var audioTemplate: String
    /// When set, tags are rewritten to their canonical names where the vocabulary knows them.
    public var vocabulary: TagVocabulary?
    /// Accept header columns the format does not define instead of failing.
    public var allowExtraColumns: Bool

    public init(
        split: Split? = nil, audioRoot: String = "", audioTemplate: String = "audio/{id}.wav",
        vocabulary: TagVocabulary? = nil, allowExtraColumns: Bool = false
    ) {
        self.split = split
        self.audioRoot = audioRoot
        self.audioTemplate = audioTemplate
        self.vocabulary = vocabulary
        self.allowExtraColumns = allowExtraColumns
    }

    func audioPath(_ relative: String) -> String {
        if audioRoot.isEmpty || relative.hasPrefix("/") { return relative }
        return audioRoot.hasSuffix("/") ? audioRoot + relative : audioRoot + "/" + relative
    }

    func audioPath(id: String) -> String {
        audioPath(audioTemplate.replacingOccurrences(of: "{id}", with: id))
    }

    func canonical(_ tags: [String: [String]]) -> [String: [String]] {
        guard let vocabulary else { return tags }
        var result: [String: [String]] = [:]
        for (category, list) in tags {
            var seen = Set<String>()
            result[category] = list.map { vocabulary.canonical($0, in: category) ?? $0 }.filter { seen.insert($0).inserted }
        }
        return result
    }
}

/// A delimited file with a header row, read strictly: required columns must be there, unknown
/// columns are errors unless allowed, and every row must have the header's number of fields.
struct DelimitedTable {
    var path: String
    var header: [String]
    var rows: [CSVRecord]
    var problems: [LineProblem] = []
    private var columnIndex: [String: Int] = [:]

    init(url: URL, separator: Character = ",", required: [String], optional: [String] = [], allowExtra: Bool) throws {
        path = url.path
        let text = try TextFile.read(url)
        let records: [CSVRecord]
        do { records = try CSVReader.records(in: text, separator: separator) } catch {
            throw ImportError(path: url.path, problems: [LineProblem(line: error.line, message: error.message)])
        }
        guard let first = records.first else {
            throw ImportError(path: url.path, problems: [LineProblem(line: 1, message: "the file is empty; expected a header row")])
        }
        header = first.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        rows = Array(records.dropFirst()).filter { $0.fields != [""] }
        for (index, name) in header.enumerated() {
            if columnIndex[name] != nil { problems.append(LineProblem(line: 1, message: "column '\(name)' appears twice")) }
            columnIndex[name] = index
        }
        let missing = required.filter { columnIndex[$0] == nil }
        if !missing.isEmpty {
            problems.append(LineProblem(line: 1, message: "missing column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")) (header: \(header.joined(separator: ", ")))"))
        }
        var expected: [String] = []
        for name in required + optional where !expected.contains(name) { expected.append(name) }
        let known = Set(expected)
        let unknown = header.filter { !known.contains($0) }
        if !allowExtra, !unknown.isEmpty {
            problems.append(LineProblem(line: 1, message: "unknown column\(unknown.count > 1 ? "s" : "") \(unknown.joined(separator: ", ")); expected \(expected.joined(separator: ", ")) (or allow extra columns)"))
        }
        if !problems.isEmpty { throw ImportError(path: path, problems: problems) }
        for row in rows where row.fields.count != header.count {
            problems.append(LineProblem(line: row.line, message: "expected \(header.count) fields, found \(row.fields.count)"))
        }
    }

    func has(_ column: String) -> Bool { columnIndex[column] != nil }

    /// The field of `row` in `column`, trimmed; empty when the column is absent or the row short.
    func value(_ row: CSVRecord, _ column: String) -> String {
        guard let index = columnIndex[column], index < row.fields.count else { return "" }
        return row.fields[index].trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Rows with the right number of fields.
    var wellFormedRows: [CSVRecord] { rows.filter { $0.fields.count == header.count } }
}

/// Parsing helpers for the value conventions of research CSVs.
enum FieldParsing {
    /// A Python or JSON list literal (`['low quality', "80's pop"]`) or, failing the brackets, a
    /// list separated by `separator`. Returns `nil` for a malformed literal.
    static func list(_ text: String, separator: Character = ",") -> [String]? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return [] }
        guard trimmed.hasPrefix("[") else {
            return trimmed.split(separator: separator).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        guard trimmed.hasSuffix("]") else { return nil }
        var items: [String] = []
        let characters = Array(trimmed.dropFirst().dropLast())
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == " " || character == "," { index += 1; continue }
            guard character == "'" || character == "\"" else { return nil }
            var item = ""
            index += 1
            var closed = false
            while index < characters.count {
                let next = characters[index]
                if next == "\\", index + 1 < characters.count {
                    item.append(characters[index + 1])
                    index += 2
                    continue
                }
                if next == character { closed = true; index += 1; break }
                item.append(next)
                index += 1
            }
            if !closed { return nil }
            items.append(item.trimmingCharacters(in: .whitespaces))
        }
        return items.filter { !$0.isEmpty }
    }

    static func bool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no", "": return false
        default: return nil
        }
    }

    static func split(_ text: String) -> Split? {
        switch text.lowercased() {
        case "train", "training": return .train
        case "valid", "validation", "val", "dev": return .valid
        case "test", "testing", "eval", "evaluation": return .test
        default: return nil
        }
    }
}
