import Foundation

/// A clip a study plays: one manifest item's audio (or its `start`–`end` segment), served by id only.
public struct StudyClip: Codable, Sendable, Equatable {
    /// 1-based, unique in the study.
    public var id: Int
    /// The dataset the item belongs to: its manifest `metadata.source`, else the manifest's folder name.
    public var dataset: String
    /// The manifest item's id.
    public var item: String
    /// The audio file's absolute path (never taken from a request).
    public var audio: String
    public var start: Double?
    public var end: Double?

    public init(id: Int, dataset: String, item: String, audio: String, start: Double? = nil, end: Double? = nil) {
        self.id = id
        self.dataset = dataset
        self.item = item
        self.audio = audio
        self.start = start
        self.end = end
    }
}

/// A text prompt (a held-out caption) and the clip each system plays for it.
public struct StudyPrompt: Codable, Sendable, Equatable {
    /// 1-based, unique in the study.
    public var id: Int
    public var dataset: String
    public var text: String
    /// The clip the caption was written for.
    public var truthClip: Int
    /// The clip each system plays, by system name: its top-ranked clip of the split, or `truthClip` for the
    /// ground truth.
    public var clips: [String: Int]

    public init(id: Int, dataset: String, text: String, truthClip: Int, clips: [String: Int]) {
        self.id = id
        self.dataset = dataset
        self.text = text
        self.truthClip = truthClip
        self.clips = clips
    }
}

/// One planned comparison: a prompt, two systems (in the study's system order) and which one the plan puts
/// on the left.
public struct StudyTrial: Codable, Sendable, Equatable {
    /// 1-based: the trial's place in the plan's base order.
    public var id: Int
    public var prompt: Int
    public var first: String
    public var second: String
    /// `first` or `second`: the system played on the left when the trial is not mirrored.
    public var left: String

    public init(id: Int, prompt: Int, first: String, second: String, left: String) {
        self.id = id
        self.prompt = prompt
        self.first = first
        self.second = second
        self.left = left
    }

    /// The system on the right when not mirrored.
    public var right: String { left == first ? second : first }

    /// The (left, right) systems as a participant sees them.
    public func sides(mirrored: Bool) -> (left: String, right: String) { mirrored ? (right, left) : (left, right) }
}

/// A trial as one participant gets it: which trial, and whether its sides are swapped for them.
public struct ScheduledTrial: Sendable, Equatable {
    public var trial: Int
    public var mirrored: Bool

    public init(trial: Int, mirrored: Bool) {
        self.trial = trial
        self.mirrored = mirrored
    }
}

/// Everything a listening study asks: systems, clips, prompts and trials, fixed when the study is created.
public struct StudyPlan: Codable, Sendable, Equatable {
    public var systems: [StudySystem]
    public var clips: [StudyClip]
    public var prompts: [StudyPrompt]
    /// In base order (`trials[i].id == i + 1`).
    public var trials: [StudyTrial]
    /// How many trials one participant is asked (at most every trial).
    public var trialsPerParticipant: Int
    public var seed: UInt64
    /// The manifest split the prompts and clips come from.
    public var split: String

    public init(
        systems: [StudySystem], clips: [StudyClip], prompts: [StudyPrompt], trials: [StudyTrial], trialsPerParticipant: Int,
        seed: UInt64, split: String
    ) {
        self.systems = systems
        self.clips = clips
        self.prompts = prompts
        self.trials = trials
        self.trialsPerParticipant = trialsPerParticipant
        self.seed = seed
        self.split = split
    }

    /// The number of trials each participant is asked: `trialsPerParticipant`, at most every trial.
    public var sessionLength: Int { min(trialsPerParticipant, trials.count) }

    /// The trials participant `number` (0, 1, 2, ... in order of arrival) is asked, in order.
    ///
    /// Participants walk the base order one after the other: participant `n` takes positions
    /// `n·m ..< (n+1)·m` (m = ``sessionLength``) of the base order repeated without end, so the first
    /// ⌈N/m⌉ participants cover every trial once before any trial is asked twice. Each pass over the base
    /// order ("lap") swaps the sides of the previous one, so a trial answered an even number of times has been
    /// seen with each system on the left equally often.
    public func schedule(participant number: Int) -> [ScheduledTrial] {
        let count = trials.count
        guard count > 0, number >= 0 else { return [] }
        let length = sessionLength
        return (0..<length).map { offset in
            let position = number * length + offset
            return ScheduledTrial(trial: trials[position % count].id, mirrored: (position / count) % 2 == 1)
        }
    }

    public func trial(id: Int) -> StudyTrial? { trials.indices.contains(id - 1) ? trials[id - 1] : nil }

    public func prompt(id: Int) -> StudyPrompt? { prompts.indices.contains(id - 1) ? prompts[id - 1] : nil }

    public func clip(id: Int) -> StudyClip? { clips.indices.contains(id - 1) ? clips[id - 1] : nil }

    /// The prompts' datasets, sorted by name.
    public var datasets: [String] { Set(prompts.map(\.dataset)).sorted() }

    /// Every unordered pair of systems, in the study's system order.
    public var systemPairs: [(first: String, second: String)] {
        var pairs: [(String, String)] = []
        for (index, first) in systems.enumerated() {
            for second in systems[(index + 1)...] { pairs.append((first.name, second.name)) }
        }
        return pairs
    }
}
