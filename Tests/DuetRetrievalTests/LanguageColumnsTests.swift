import DuetRetrieval
import Foundation
import Testing

@Suite("Multilingual evaluation report")
struct LanguageColumnsTests {
    func summary(r10: Double) -> SubsetEvaluation.Summary {
        let metrics = RetrievalMetrics(recallAt1: r10 / 4, recallAt5: r10 / 2, recallAt10: r10, medianRank: 20, queryCount: 100)
        let zero = RetrievalMetrics(recallAt1: 0, recallAt5: 0, recallAt10: 0, medianRank: 0, queryCount: 0)
        return .init(mean: metrics, standardDeviation: zero, subsetCount: 1, subsetSize: 100, itemCount: 100, queryCount: 100)
    }

    @Test func oneColumnPerLanguage() throws {
        let languages = ["en", "de", "fr", "es", "it", "pt"]
        let (columns, references) = EvaluationReport.languageColumns(datasets: ["demo"], languages: languages, reference: "en")
        #expect(columns.map(\.name) == languages)
        #expect(references == ["de": "en", "fr": "en", "es": "en", "it": "en", "pt": "en"])
        var results: [String: SubsetEvaluation.Summary] = [:]
        for (index, column) in columns.enumerated() { results[column.name] = summary(r10: 40 - Double(index * 4)) }
        let report = EvaluationReport(datasets: columns.map(\.name), rows: [.init(model: "e5", results: results)], referenceColumns: references)
        let lines = report.markdown().split(separator: "\n").map(String.init)
        #expect(lines[0] == "| Model | Tag-to-caption | View Dropout | TextSwap | en R@10↑ | en MR↓ | de R@10↑ | de MR↓ | fr R@10↑ | fr MR↓ | es R@10↑ | es MR↓ | it R@10↑ | it MR↓ | pt R@10↑ | pt MR↓ | Avg R@10↑ |")
        #expect(lines[2] == "| e5 | - | - | - | 40.0 | 20.0 | 36.0 | 20.0 | 32.0 | 20.0 | 28.0 | 20.0 | 24.0 | 20.0 | 20.0 | 20.0 | 30.0 |")
        #expect(lines.contains("| Model | de R@10 / en R@10 | fr R@10 / en R@10 | es R@10 / en R@10 | it R@10 / en R@10 | pt R@10 / en R@10 |"))
        #expect(lines.contains("| e5 | 90 % | 80 % | 70 % | 60 % | 50 % |"))
        let decoded = try JSONDecoder().decode(EvaluationReport.self, from: report.json())
        #expect(decoded.referenceColumns == references)
    }

    @Test func severalDatasetsNameColumnsByDatasetAndLanguage() {
        let (columns, references) = EvaluationReport.languageColumns(datasets: ["a", "b"], languages: ["en", "de"], reference: "en")
        #expect(columns.map(\.name) == ["a (en)", "a (de)", "b (en)", "b (de)"])
        #expect(references == ["a (de)": "a (en)", "b (de)": "b (en)"])
    }

    @Test func reportsWrittenBeforeLanguagesStillDecode() throws {
        let json = #"{"datasets":["synth"],"rows":[]}"#
        let report = try JSONDecoder().decode(EvaluationReport.self, from: Data(json.utf8))
        #expect(report.referenceColumns == nil)
        #expect(!report.markdown().contains("/ en R@10"))
    }
}
