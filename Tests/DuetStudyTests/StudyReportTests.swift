import DuetStudy
import Foundation
import Testing

/// The report's counting against a case worked by hand. Four prompts (1 and 3 in dataset `one`, 2 and 4 in
/// `two`); on prompt 4 system A plays the ground-truth clip, so A-vs-truth is not asked there.
@Suite struct StudyReportTests {
    let plan = StudyFixtures.plan(prompts: 4, perParticipant: 100, agreeEvery: 4)

    func trial(prompt: Int, _ first: String, _ second: String) throws -> StudyTrial {
        try #require(plan.trials.first { $0.prompt == prompt && $0.first == first && $0.second == second })
    }

    /// An answer naming the winner (nil: a tie), shown with `left` on the left.
    func answer(_ participant: String, _ trial: StudyTrial, left: String, winner: String?) -> StudyAnswer {
        let right = left == trial.first ? trial.second : trial.first
        let choice: StudyChoice = winner == nil ? .tie : winner == left ? .left : .right
        return StudyAnswer(participant: participant, trial: trial.id, choice: choice, leftSystem: left, rightSystem: right, answered: 0)
    }

    @Test func countsSharesIntervalsAndParticipants() throws {
        let ab1 = try trial(prompt: 1, "A", "B"), ab2 = try trial(prompt: 2, "A", "B"), ab3 = try trial(prompt: 3, "A", "B")
        let at1 = try trial(prompt: 1, "A", "truth"), at2 = try trial(prompt: 2, "A", "truth")
        #expect(!plan.trials.contains { $0.prompt == 4 && $0.first == "A" && $0.second == "truth" })
        let answers = [
            // A vs B, dataset one: A, B, tie (prompt 1), A (prompt 3): 2 wins, 1 tie, 1 loss of 4.
            answer("p1", ab1, left: "A", winner: "A"), answer("p2", ab1, left: "B", winner: "B"),
            answer("p3", ab1, left: "A", winner: nil), answer("p1", ab3, left: "B", winner: "A"),
            // A vs B, dataset two: tie, B: 0 wins, 1 tie, 1 loss of 2.
            answer("p1", ab2, left: "A", winner: nil), answer("p2", ab2, left: "A", winner: "B"),
            // A vs truth: A, truth (prompt 1, one), tie (prompt 2, two): at least as good 2 of 3.
            answer("p1", at1, left: "truth", winner: "A"), answer("p2", at1, left: "A", winner: "truth"),
            answer("p3", at2, left: "truth", winner: nil),
            // An answer to a trial the plan does not have is ignored.
            StudyAnswer(participant: "p9", trial: 999, choice: .left, leftSystem: "A", rightSystem: "B", answered: 0),
        ]
        let report = StudyReport(plan: plan, answers: answers, participants: 4)
        #expect(report.answers == 9 && report.answeringParticipants == 3 && report.participants == 4)
        #expect(report.datasets == ["one", "two"])

        func row(_ system: String, _ opponent: String, _ dataset: String) throws -> StudyReport.Comparison {
            try #require(report.comparisons.first { $0.system == system && $0.opponent == opponent && $0.dataset == dataset })
        }
        let one = try row("A", "B", "one")
        #expect((one.answers, one.win.count, one.tie.count, one.loss.count, one.participants, one.prompts) == (4, 2, 1, 1, 3, 2))
        #expect(one.win.share == 0.5 && one.tie.share == 0.25)
        let two = try row("A", "B", "two")
        #expect((two.answers, two.win.count, two.tie.count, two.loss.count, two.participants) == (2, 0, 1, 1, 2))
        let all = try row("A", "B", StudyReport.allDatasets)
        #expect((all.answers, all.win.count, all.tie.count, all.loss.count, all.participants, all.prompts) == (6, 2, 2, 2, 3, 3))
        // 2 of 6: p̂ = 1/3, z²/n = 0.640243, centre = (0.333333 + 0.320122) / 1.640243 = 0.398389,
        // half = 1.959964 / 1.640243 · √(0.037037 + 0.026677) = 1.194923 · 0.252416 = 0.301619 → [0.0968, 0.7000].
        let interval = try #require(all.win.interval)
        #expect(abs(interval.low - 0.0968) <= 0.00005 && abs(interval.high - 0.7000) <= 0.00005, "\(interval)")
        #expect(try row("B", "truth", StudyReport.allDatasets).answers == 0)
        #expect(try row("B", "truth", StudyReport.allDatasets).win.share == nil)

        let truthAll = try #require(report.truth.first { $0.system == "A" && $0.dataset == StudyReport.allDatasets })
        #expect((truthAll.judgements, truthAll.atLeastAsGood.count, truthAll.participants, truthAll.identicalPrompts) == (3, 2, 3, 1))
        // 2 of 3 → [0.2077, 0.9385] (WilsonIntervalTests).
        let truthInterval = try #require(truthAll.atLeastAsGood.interval)
        #expect(abs(truthInterval.low - 0.2077) <= 0.00005 && abs(truthInterval.high - 0.9385) <= 0.00005)
        let truthTwo = try #require(report.truth.first { $0.system == "A" && $0.dataset == "two" })
        #expect((truthTwo.judgements, truthTwo.atLeastAsGood.count, truthTwo.identicalPrompts) == (1, 1, 1))
        #expect(report.truth.map(\.system).contains("B") && !report.truth.map(\.system).contains("truth"))

        // Sides as shown: left chosen twice (p1 and p2 on prompt 1's A-vs-B), right four times, three ties.
        #expect((report.sides.left.count, report.sides.right.count, report.sides.tie.count) == (2, 4, 3))

        let markdown = report.markdown(title: "test")
        #expect(markdown.contains("| all | 6 | 3 | 3 | 33.3 [9.7, 70.0] | 33.3 [9.7, 70.0] | 33.3 [9.7, 70.0] | 0 |"), "\(markdown)")
        #expect(markdown.contains("| A | all | 3 | 3 | 66.7 [20.8, 93.9] | 1 |"), "\(markdown)")
        let svg = report.svg(title: "test")
        #expect(svg.hasPrefix("<svg") && svg.contains("A vs B · all (n=6)") && svg.hasSuffix("</svg>\n"))
        let decoded = try JSONDecoder().decode(StudyReport.self, from: try report.json())
        #expect(decoded == report)
    }
}
