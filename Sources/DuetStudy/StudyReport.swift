import Foundation

/// The results of a listening study, laid out like the paper's listening test (section 5.2): for every pair
/// of systems, overall and per dataset, how often the first system won, tied and lost, each with a 95 %
/// Wilson interval and the number of answers and participants behind it; and for every system, how often it
/// was judged at least as good as the ground truth. The one place the report's numbers are computed; the
/// Markdown, JSON and SVG forms all read this value.
public struct StudyReport: Codable, Sendable, Equatable {
    /// A share of answers with its 95 % Wilson interval (nil share and interval without answers).
    public struct Proportion: Codable, Sendable, Equatable {
        public var count: Int
        public var share: Double?
        public var interval: WilsonInterval?

        public init(count: Int, of total: Int) {
            self.count = count
            share = total > 0 ? Double(count) / Double(total) : nil
            interval = WilsonInterval(successes: count, trials: total)
        }
    }

    /// `system` against `opponent` on one dataset (or `all`).
    public struct Comparison: Codable, Sendable, Equatable {
        public var system: String
        public var opponent: String
        public var dataset: String
        public var answers: Int
        public var participants: Int
        /// Distinct prompts answered.
        public var prompts: Int
        public var win: Proportion
        public var tie: Proportion
        public var loss: Proportion
        /// Prompts where both systems play the same clip: never asked, not in the shares.
        public var identicalPrompts: Int
    }

    /// How often `system` was judged at least as good as the ground truth (won or tied) on one dataset.
    public struct TruthShare: Codable, Sendable, Equatable {
        public var system: String
        public var dataset: String
        public var judgements: Int
        public var participants: Int
        public var atLeastAsGood: Proportion
        /// Prompts where the system's top clip is the ground-truth clip (not asked).
        public var identicalPrompts: Int
    }

    /// Which side was chosen, over every answer: a check for position bias.
    public struct Sides: Codable, Sendable, Equatable {
        public var left: Proportion
        public var right: Proportion
        public var tie: Proportion
    }

    /// The label of the row over every dataset.
    public static let allDatasets = "all"

    public var systems: [String]
    public var datasets: [String]
    public var prompts: Int
    public var trials: Int
    public var trialsPerParticipant: Int
    /// Participants who started (got an id).
    public var participants: Int
    /// Participants with at least one answer.
    public var answeringParticipants: Int
    public var answers: Int
    public var comparisons: [Comparison]
    public var truth: [TruthShare]
    public var sides: Sides

    /// Computes the report of `plan` from `answers` (answers to trials the plan does not have are ignored).
    public init(plan: StudyPlan, answers: [StudyAnswer], participants: Int) {
        systems = plan.systems.map(\.name)
        datasets = plan.datasets
        prompts = plan.prompts.count
        trials = plan.trials.count
        trialsPerParticipant = plan.sessionLength
        self.participants = participants
        let known = answers.filter { plan.trial(id: $0.trial) != nil }
        self.answers = known.count
        answeringParticipants = Set(known.map(\.participant)).count
        let scopes = datasets.count > 1 ? datasets + [Self.allDatasets] : datasets.isEmpty ? [Self.allDatasets] : datasets
        func inScope(_ dataset: String) -> (StudyAnswer) -> Bool {
            { answer in
                dataset == Self.allDatasets || plan.trial(id: answer.trial).flatMap { plan.prompt(id: $0.prompt) }?.dataset == dataset
            }
        }
        func identical(_ first: String, _ second: String, dataset: String) -> Int {
            plan.prompts.filter { prompt in
                (dataset == Self.allDatasets || prompt.dataset == dataset) && prompt.clips[first] != nil
                    && prompt.clips[first] == prompt.clips[second]
            }.count
        }
        var comparisons: [Comparison] = []
        for (first, second) in plan.systemPairs {
            for dataset in scopes {
                let pair = known.filter { answer in
                    guard let trial = plan.trial(id: answer.trial) else { return false }
                    return trial.first == first && trial.second == second
                }.filter(inScope(dataset))
                let wins = pair.filter { $0.winner == first }.count
                let losses = pair.filter { $0.winner == second }.count
                let ties = pair.count - wins - losses
                comparisons.append(Comparison(
                    system: first, opponent: second, dataset: dataset, answers: pair.count,
                    participants: Set(pair.map(\.participant)).count,
                    prompts: Set(pair.compactMap { plan.trial(id: $0.trial)?.prompt }).count,
                    win: Proportion(count: wins, of: pair.count), tie: Proportion(count: ties, of: pair.count),
                    loss: Proportion(count: losses, of: pair.count), identicalPrompts: identical(first, second, dataset: dataset)))
            }
        }
        self.comparisons = comparisons
        var truth: [TruthShare] = []
        if plan.systems.contains(where: \.isTruth) {
            for system in plan.systems where !system.isTruth {
                for dataset in scopes {
                    let against = known.filter { answer in
                        guard let trial = plan.trial(id: answer.trial) else { return false }
                        return Set([trial.first, trial.second]) == Set([system.name, StudySystem.truthName])
                    }.filter(inScope(dataset))
                    let atLeast = against.filter { $0.winner != StudySystem.truthName }.count
                    truth.append(TruthShare(
                        system: system.name, dataset: dataset, judgements: against.count,
                        participants: Set(against.map(\.participant)).count,
                        atLeastAsGood: Proportion(count: atLeast, of: against.count),
                        identicalPrompts: identical(system.name, StudySystem.truthName, dataset: dataset)))
                }
            }
        }
        self.truth = truth
        sides = Sides(
            left: Proportion(count: known.filter { $0.choice == .left }.count, of: known.count),
            right: Proportion(count: known.filter { $0.choice == .right }.count, of: known.count),
            tie: Proportion(count: known.filter { $0.choice == .tie }.count, of: known.count))
    }

    /// The report as pretty-printed JSON with sorted keys.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
