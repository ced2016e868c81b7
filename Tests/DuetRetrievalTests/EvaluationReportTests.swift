import DuetRetrieval
import Foundation
import Testing

@Suite("Evaluation report")
struct EvaluationReportTests {
    func summary(r10: Double, median: Double) -> SubsetEvaluation.Summary {
        let metrics = RetrievalMetrics(recallAt1: r10 / 4, recallAt5: r10 / 2, recallAt10: r10, medianRank: median, queryCount: 100)
        let zero = RetrievalMetrics(recallAt1: 0, recallAt5: 0, recallAt10: 0, medianRank: 0, queryCount: 0)
        return .init(mean: metrics, standardDeviation: zero, subsetCount: 1, subsetSize: 500, itemCount: 500, queryCount: 100)
    }

    @Test func tableFollowsTheLayoutOfTable4() throws {
        let report = EvaluationReport(datasets: ["synth", "songs"], rows: [
            .init(model: "zero-shot musicnn tags", results: ["synth": summary(r10: 8, median: 90)]),
            .init(model: "DuET-MC", recipe: .init(tagToCaption: true, viewDropout: true, textSwap: false),
                  results: ["synth": summary(r10: 20, median: 30), "songs": summary(r10: 10, median: 60)]),
        ])
        let lines = report.markdown().split(separator: "\n").map(String.init)
        #expect(lines[0] == "| Model | Tag-to-caption | View Dropout | TextSwap | synth R@10↑ | synth MR↓ | songs R@10↑ | songs MR↓ | Avg R@10↑ |")
        #expect(lines[2] == "| zero-shot musicnn tags | - | - | - | 8.0 | 90.0 | - | - | 8.0 |")
        #expect(lines[3] == "| DuET-MC | ✓ | ✓ | ✗ | 20.0 | 30.0 | 10.0 | 60.0 | 15.0 |")
        let decoded = try JSONDecoder().decode(EvaluationReport.self, from: report.json())
        #expect(decoded.rows.count == 2 && decoded.datasets == ["synth", "songs"])
    }
}
