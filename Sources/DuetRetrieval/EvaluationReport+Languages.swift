import Foundation

extension EvaluationReport {
    /// The columns of a multilingual evaluation: one per (dataset, language), named by the
    /// language code alone ("de") when there is one dataset, "dataset (de)" otherwise; each
    /// non-reference column refers to the same dataset's `reference` language column.
    /// - Parameters:
    ///   - datasets: dataset names, in report order.
    ///   - languages: ISO 639-1 codes, in report order.
    ///   - reference: the language other columns are compared with (English).
    public static func languageColumns(
        datasets: [String], languages: [String], reference: String
    ) -> (columns: [(dataset: String, language: String, name: String)], references: [String: String]) {
        func name(_ dataset: String, _ language: String) -> String {
            datasets.count == 1 ? language : "\(dataset) (\(language))"
        }
        var columns: [(dataset: String, language: String, name: String)] = []
        var references: [String: String] = [:]
        for dataset in datasets {
            for language in languages {
                columns.append((dataset, language, name(dataset, language)))
                if language != reference, languages.contains(reference) {
                    references[name(dataset, language)] = name(dataset, reference)
                }
            }
        }
        return (columns, references)
    }

    /// Lines of a table of each column's R@10 as a percentage of its reference column's R@10
    /// (e.g. German queries against English ones on the same clips); empty without references.
    func relativeRecallLines() -> [String] {
        let compared = datasets.filter { referenceColumns?[$0] != nil }
        guard let referenceColumns, !compared.isEmpty else { return [] }
        var lines = ["| Model | " + compared.map { "\($0) R@10 / \(referenceColumns[$0] ?? "") R@10" }.joined(separator: " | ") + " |"]
        lines.append("|---|" + String(repeating: "--:|", count: compared.count))
        for row in rows {
            let cells = compared.map { column -> String in
                guard let value = row.results[column]?.mean.recallAt10,
                      let reference = referenceColumns[column].flatMap({ row.results[$0]?.mean.recallAt10 }), reference > 0
                else { return "-" }
                return String(format: "%.0f %%", 100 * value / reference)
            }
            lines.append("| \(row.model) | " + cells.joined(separator: " | ") + " |")
        }
        return lines + [""]
    }
}
