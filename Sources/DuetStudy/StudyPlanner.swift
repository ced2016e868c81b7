import DuetRandom

/// The seeded, pure parts of planning a study: which captions become prompts, and which pairs are asked with
/// which system on the left.
public enum StudyPlanner {
    /// Draws `count` prompts from distinct items: a seeded choice of items, then one of each item's captions.
    /// - Parameter captions: each candidate item's captions (items without captions are never drawn).
    /// - Returns: (item row, caption) pairs; fewer than `count` when fewer items have captions.
    public static func drawPrompts(
        captions: [[String]], count: Int, generator: inout SeededGenerator
    ) -> [(item: Int, caption: String)] {
        let candidates = captions.indices.filter { !captions[$0].isEmpty }
        return generator.shuffle(candidates).prefix(max(0, count)).map { item in
            (item: item, caption: generator.choose(captions[item]))
        }
    }

    /// The trials of a study: for every prompt, every pair of systems whose clips differ (a pair that would
    /// play the same clip twice is not asked).
    ///
    /// Counterbalancing: within each pair of systems, a seeded half of its trials puts the first system on the
    /// left and the other half the second (an odd trial out goes by a seeded coin), so each pair's left/right
    /// counts differ by at most one. The base order is then a seeded shuffle of all trials, ids 1...N in that
    /// order. Same inputs and seed, same plan.
    public static func trials(systems: [StudySystem], prompts: [StudyPrompt], seed: UInt64) -> [StudyTrial] {
        var generator = SeededGenerator(seed: seed).derived(stream: 0x5354_5544_59)  // "STUDY"
        var planned: [StudyTrial] = []
        for (index, first) in systems.enumerated() {
            for second in systems[(index + 1)...] {
                let asked = prompts.filter { prompt in
                    guard let a = prompt.clips[first.name], let b = prompt.clips[second.name] else { return false }
                    return a != b
                }
                let order = generator.shuffle(Array(asked.indices))
                var firstOnLeft = Set(order.prefix(asked.count / 2))
                if asked.count % 2 == 1, generator.chance(0.5) { firstOnLeft.insert(order[asked.count / 2]) }
                for (position, prompt) in asked.enumerated() {
                    planned.append(StudyTrial(
                        id: 0, prompt: prompt.id, first: first.name, second: second.name,
                        left: firstOnLeft.contains(position) ? first.name : second.name))
                }
            }
        }
        return generator.shuffle(planned).enumerated().map { index, trial in
            var trial = trial
            trial.id = index + 1
            return trial
        }
    }
}
