import DuetRandom
import DuetStudy
import Testing

@Suite struct StudyPlannerTests {
    @Test func sameSeedSamePlanOtherSeedOtherOrder() {
        let first = StudyFixtures.plan(seed: 7)
        #expect(first == StudyFixtures.plan(seed: 7))
        let other = StudyFixtures.plan(seed: 8)
        #expect(other.trials != first.trials)
        // The same comparisons, in another order and orientation.
        let key = { (trial: StudyTrial) in "\(trial.prompt) \(trial.first) \(trial.second)" }
        #expect(Set(other.trials.map(key)) == Set(first.trials.map(key)))
    }

    @Test func everyDifferingPairOnceIdenticalPairsNotAsked() {
        let plan = StudyFixtures.plan(prompts: 24)
        // 24 prompts x 3 pairs, less the A-vs-truth pairs where A plays the truth clip (prompts 5, 10, 15, 20).
        #expect(plan.trials.count == 24 * 3 - 4)
        #expect(plan.trials.map(\.id) == Array(1...plan.trials.count))
        for prompt in plan.prompts {
            for (first, second) in plan.systemPairs {
                let asked = plan.trials.filter { $0.prompt == prompt.id && $0.first == first && $0.second == second }.count
                #expect(asked == (prompt.clips[first] == prompt.clips[second] ? 0 : 1), "prompt \(prompt.id) \(first)-\(second)")
            }
        }
        #expect(plan.systemPairs.map { "\($0.first)-\($0.second)" } == ["A-B", "A-truth", "B-truth"])
    }

    @Test(arguments: [0, 1, 2, 3, 99] as [UInt64]) func sidesBalancedWithinEachPair(seed: UInt64) {
        for count in [1, 2, 7, 24] {
            let plan = StudyFixtures.plan(prompts: count, seed: seed)
            for (first, second) in plan.systemPairs {
                let trials = plan.trials.filter { $0.first == first && $0.second == second }
                let firstLeft = trials.filter { $0.left == first }.count
                #expect(trials.allSatisfy { $0.left == first || $0.left == second })
                #expect(abs(firstLeft - (trials.count - firstLeft)) <= 1, "\(count) prompts, \(first)-\(second): \(firstLeft) of \(trials.count)")
            }
        }
    }

    @Test func participantsCoverEveryTrialBeforeRepeatingAndLapsSwapSides() {
        let plan = StudyFixtures.plan(prompts: 24, perParticipant: 17)
        let count = plan.trials.count  // 68
        #expect(plan.sessionLength == 17)
        #expect(plan.schedule(participant: 0) == plan.schedule(participant: 0))
        // Four participants of 17 cover the 68 trials exactly once, none mirrored.
        let firstLap = (0..<4).flatMap { plan.schedule(participant: $0) }
        #expect(firstLap.count == count && Set(firstLap.map(\.trial)).count == count)
        #expect(firstLap.allSatisfy { !$0.mirrored })
        // The next four see every trial again with its sides swapped: over two laps each system is on each side
        // of each trial once.
        let secondLap = (4..<8).flatMap { plan.schedule(participant: $0) }
        #expect(secondLap.map(\.trial) == firstLap.map(\.trial))
        #expect(secondLap.allSatisfy { $0.mirrored })
        for trial in plan.trials {
            let shown = (firstLap + secondLap).filter { $0.trial == trial.id }.map { trial.sides(mirrored: $0.mirrored).left }
            #expect(Set(shown) == Set([trial.first, trial.second]))
        }
        // Any number of participants: answer counts per trial differ by at most one.
        let seven = (0..<7).flatMap { plan.schedule(participant: $0) }
        let counts = Dictionary(grouping: seven, by: \.trial).mapValues(\.count)
        #expect(counts.count == count)
        #expect((counts.values.max() ?? 0) - (counts.values.min() ?? 0) <= 1)
    }

    @Test func aSessionIsNeverLongerThanThePlan() {
        let plan = StudyFixtures.plan(prompts: 2, perParticipant: 24)
        #expect(plan.sessionLength == plan.trials.count)
        #expect(Set(plan.schedule(participant: 3).map(\.trial)).count == plan.trials.count)
    }

    @Test func promptsComeFromDistinctCaptionedItems() {
        let captions = [["a", "b"], [], ["c"], ["d", "e", "f"], ["g"], []]
        var generator = SeededGenerator(seed: 3)
        let drawn = StudyPlanner.drawPrompts(captions: captions, count: 3, generator: &generator)
        #expect(drawn.count == 3)
        #expect(Set(drawn.map(\.item)).count == 3)
        for prompt in drawn { #expect(captions[prompt.item].contains(prompt.caption)) }
        var again = SeededGenerator(seed: 3)
        #expect(StudyPlanner.drawPrompts(captions: captions, count: 3, generator: &again).map(\.caption) == drawn.map(\.caption))
        var all = SeededGenerator(seed: 4)
        #expect(Set(StudyPlanner.drawPrompts(captions: captions, count: 10, generator: &all).map(\.item)) == [0, 2, 3, 4])
    }

    @Test func systemSpecificationsParseOrExplain() throws {
        #expect(try StudySystem.parse("A=runs/a/best") == StudySystem(name: "A", checkpoint: "runs/a/best"))
        #expect(try StudySystem.parse("truth") == .truth)
        #expect(throws: StudyError.reservedSystemName("truth")) { try StudySystem.parse("truth=runs/x") }
        for bad in ["A", "=runs/x", "A=", "a b=runs/x", String(repeating: "x", count: 33) + "=r"] {
            #expect(throws: StudyError.invalidSystemSpecification(bad)) { try StudySystem.parse(bad) }
        }
        #expect(throws: StudyError.duplicateSystemName("A")) {
            try StudySystem.validate([.init(name: "A", checkpoint: "x"), .init(name: "A", checkpoint: "y")])
        }
        #expect(throws: StudyError.tooFewSystems(count: 1)) { try StudySystem.validate([.truth]) }
    }
}
