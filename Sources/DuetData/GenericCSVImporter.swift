import Foundation

/// Imports any CSV whose columns are named on the command line.
///
/// Every header column must be used (id, audio, caption, tag, split, start, end, metadata) or
/// listed as ignored, so a renamed or misspelt column fails loudly instead of being dropped.
/// Tag cells hold one or more tags separated by `tagSeparator` (or a list literal).
public struct GenericCSVImporter: Sendable {
    public var idColumn: String
    public var audioColumn: String?
    public var captionColumns: [String] = []
    /// category → column.
    public var tagColumns: [String: String] = [:]
    public var tagSeparator: Character = ";"
    public var splitColumn: String?
    public var startColumn: String?
    public var endColumn: String?
    public var metadataColumns: [String] = []
    public var ignoredColumns: [String] = []

    public init(idColumn: String, audioColumn: String? = nil) {
        self.idColumn = idColumn
        self.audioColumn = audioColumn
    }

    public func entries(from url: URL, options: ImportOptions = ImportOptions()) throws -> [ManifestEntry] {
        let required = [idColumn] + [audioColumn, splitColumn, startColumn, endColumn].compactMap { $0 } + captionColumns
            + tagColumns.values.sorted() + metadataColumns
        let table = try DelimitedTable(url: url, required: required, optional: ignoredColumns, allowExtra: options.allowExtraColumns)
        var problems = table.problems
        var entries: [ManifestEntry] = []
        var firstLine: [String: Int] = [:]
        for row in table.wellFormedRows {
            var rowProblems: [String] = []
            let id = table.value(row, idColumn)
            if id.isEmpty { rowProblems.append("empty \(idColumn)") }
            if let first = firstLine[id] { rowProblems.append("id \(id) already listed on line \(first)") }
            var audio = options.audioPath(id: id)
            if let audioColumn {
                let path = table.value(row, audioColumn)
                if path.isEmpty { rowProblems.append("empty \(audioColumn)") }
                audio = options.audioPath(path)
            }
            func seconds(_ column: String?) -> Double? {
                guard let column, !table.value(row, column).isEmpty else { return nil }
                guard let value = Double(table.value(row, column)), value >= 0 else {
                    rowProblems.append("\(column) '\(table.value(row, column))' is not a non-negative number")
                    return nil
                }
                return value
            }
            let start = seconds(startColumn)
            let end = seconds(endColumn)
            if let start, let end, end <= start { rowProblems.append("\(endColumn!) must be after \(startColumn!)") }
            var split = options.split ?? .train
            if let splitColumn {
                if let parsed = FieldParsing.split(table.value(row, splitColumn)) { split = parsed } else {
                    rowProblems.append("\(splitColumn) '\(table.value(row, splitColumn))' is not train, valid or test")
                }
            }
            var tags: [String: [String]] = [:]
            for (category, column) in tagColumns.sorted(by: { $0.key < $1.key }) {
                guard let list = FieldParsing.list(table.value(row, column), separator: tagSeparator) else {
                    rowProblems.append("\(column) is not a list: \(table.value(row, column))")
                    continue
                }
                if !list.isEmpty { tags[category] = list.reduce(into: []) { if !$0.contains($1) { $0.append($1) } } }
            }
            let captions = captionColumns.map { table.value(row, $0) }.filter { !$0.isEmpty }
            if !rowProblems.isEmpty {
                problems += rowProblems.map { LineProblem(line: row.line, message: $0) }
                continue
            }
            firstLine[id] = row.line
            let metadata = Dictionary(uniqueKeysWithValues: metadataColumns.map { ($0, table.value(row, $0)) })
            entries.append(ManifestEntry(
                id: id, audio: audio, start: start, end: end, tags: options.canonical(tags),
                captions: captions.isEmpty ? nil : captions, split: split, metadata: metadata.isEmpty ? nil : metadata))
        }
        if !problems.isEmpty { throw ImportError(path: url.path, problems: problems.sorted { $0.line < $1.line }) }
        return entries
    }
}
