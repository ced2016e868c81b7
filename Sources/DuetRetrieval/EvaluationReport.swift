import Foundation

/// Retrieval results of several models on several evaluation sets, laid out like Table 4 of
/// *Augment, Drop & Swap*: one row per model (with the recipe steps it used), R@10 and median rank
/// per dataset, and the average R@10 across datasets.
public struct EvaluationReport: Codable, Sendable {
    /// Which steps of the recipe a row used; nil for baselines that the recipe does not apply to.
    public struct Recipe: Codable, Sendable, Equatable {
        public var tagToCaption: Bool
        public var viewDropout: Bool
        public var textSwap: Bool
        public init(tagToCaption: Bool, viewDropout: Bool, textSwap: Bool) {
            self.tagToCaption = tagToCaption
            self.viewDropout = viewDropout
            self.textSwap = textSwap
        }
    }

    public struct Row: Codable, Sendable {
        public var model: String
        public var recipe: Recipe?
        /// Results per dataset name, in `datasets` order.
        public var results: [String: SubsetEvaluation.Summary]
        public init(model: String, recipe: Recipe? = nil, results: [String: SubsetEvaluation.Summary]) {
            self.model = model
            self.recipe = recipe
            self.results = results
        }

        /// Mean R@10 over the datasets this row has results for.
        public var averageRecallAt10: Double? {
            results.isEmpty ? nil : results.values.map(\.mean.recallAt10).reduce(0, +) / Double(results.count)
        }
    }

    /// The column names (datasets, or dataset and query language), in table order.
    public var datasets: [String]
    public var rows: [Row]
    /// For a multilingual evaluation, each column's reference column (the same clips queried in
    /// English); the Markdown then adds a table of R@10 relative to the reference.
    public var referenceColumns: [String: String]?

    public init(datasets: [String], rows: [Row] = [], referenceColumns: [String: String]? = nil) {
        self.datasets = datasets
        self.rows = rows
        self.referenceColumns = referenceColumns
    }

    /// The Table-4 style Markdown table followed by a detailed table (R@1, R@5, R@10, MR with
    /// standard deviations over subsets).
    public func markdown() -> String {
        func mark(_ flag: Bool?) -> String { flag.map { $0 ? "✓" : "✗" } ?? "-" }
        func number(_ value: Double) -> String { String(format: "%.1f", value) }
        var lines: [String] = []
        var header = "| Model | Tag-to-caption | View Dropout | TextSwap |"
        var rule = "|---|:-:|:-:|:-:|"
        for dataset in datasets {
            header += " \(dataset) R@10↑ | \(dataset) MR↓ |"
            rule += "--:|--:|"
        }
        header += " Avg R@10↑ |"
        rule += "--:|"
        lines += [header, rule]
        for row in rows {
            var line = "| \(row.model) | \(mark(row.recipe?.tagToCaption)) | \(mark(row.recipe?.viewDropout)) | \(mark(row.recipe?.textSwap)) |"
            for dataset in datasets {
                if let summary = row.results[dataset] {
                    line += " \(number(summary.mean.recallAt10)) | \(number(summary.mean.medianRank)) |"
                } else {
                    line += " - | - |"
                }
            }
            line += " \(row.averageRecallAt10.map(number) ?? "-") |"
            lines.append(line)
        }
        lines.append("")
        lines += relativeRecallLines()
        lines.append("| Model | Dataset | R@1 | R@5 | R@10 | MR | subsets × items | queries |")
        lines.append("|---|---|--:|--:|--:|--:|--:|--:|")
        for row in rows {
            for dataset in datasets {
                guard let summary = row.results[dataset] else { continue }
                let mean = summary.mean, deviation = summary.standardDeviation
                lines.append("| \(row.model) | \(dataset) | \(number(mean.recallAt1)) ± \(number(deviation.recallAt1)) | \(number(mean.recallAt5)) ± \(number(deviation.recallAt5)) | \(number(mean.recallAt10)) ± \(number(deviation.recallAt10)) | \(number(mean.medianRank)) ± \(number(deviation.medianRank)) | \(summary.subsetCount) × \(summary.subsetSize) | \(summary.queryCount) |")
            }
        }
        lines.append("")
        lines.append("Ranks are 1-based (ties count against the model); R@k in percent; MR is the median rank (mean of the two middle ranks for an even count); metrics are averaged over seeded random subsets of items (± is the standard deviation over subsets), every caption of a chosen item being a query.")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The report as pretty-printed JSON.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
