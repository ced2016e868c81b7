import Foundation

extension StudyReport {
    /// The report as Markdown: one table per pair of systems (rows per dataset), the ground-truth table, the
    /// side check. Percentages with their 95 % Wilson interval in brackets.
    public func markdown(title: String) -> String {
        var lines = [
            "# Listening study: \(title)", "",
            "\(answeringParticipants) of \(participants) participants answered \(answers) comparisons "
                + "(\(prompts) prompts, \(trials) planned trials, \(trialsPerParticipant) per participant); "
                + "systems: \(systems.joined(separator: ", ")); datasets: \(datasets.joined(separator: ", ")). "
                + "Percentages of answers with 95 % Wilson intervals in brackets.",
        ]
        for (system, opponent) in pairs {
            lines += [
                "", "## \(system) vs \(opponent)", "",
                "| dataset | answers | participants | prompts | \(system) wins | equally good | \(opponent) wins | same clip, not asked |",
                "|---|--:|--:|--:|--:|--:|--:|--:|",
            ]
            for row in comparisons where row.system == system && row.opponent == opponent {
                lines.append(
                    "| \(row.dataset) | \(row.answers) | \(row.participants) | \(row.prompts) | \(Self.cell(row.win)) | "
                        + "\(Self.cell(row.tie)) | \(Self.cell(row.loss)) | \(row.identicalPrompts) |")
            }
        }
        if !truth.isEmpty {
            lines += [
                "", "## At least as good as the ground truth", "",
                "Share of judgements against the ground-truth clip that the system won or tied.", "",
                "| system | dataset | judgements | participants | at least as good | same clip as the truth, not asked |",
                "|---|---|--:|--:|--:|--:|",
            ]
            for row in truth {
                lines.append(
                    "| \(row.system) | \(row.dataset) | \(row.judgements) | \(row.participants) | \(Self.cell(row.atLeastAsGood)) | "
                        + "\(row.identicalPrompts) |")
            }
        }
        lines += [
            "", "## Sides", "",
            "Left chosen \(Self.cell(sides.left)), right \(Self.cell(sides.right)), equally good \(Self.cell(sides.tie)) "
                + "of \(answers) answers (the plan balances the sides of every pair of systems, so a clear preference for one side is position bias).",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The pairs of systems in report order.
    var pairs: [(String, String)] {
        var result: [(String, String)] = []
        for row in comparisons where !result.contains(where: { $0 == (row.system, row.opponent) }) {
            result.append((row.system, row.opponent))
        }
        return result
    }

    /// `45.0 [30.7, 60.2]`, or `-` without answers.
    static func cell(_ proportion: Proportion) -> String {
        guard let share = proportion.share, let interval = proportion.interval else { return "-" }
        return "\(percent(share)) [\(percent(interval.low)), \(percent(interval.high))]"
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f", value * 100) }
}
