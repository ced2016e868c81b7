import DuetStudy
import Foundation

/// Plans built without models: systems' clips chosen by a rule, so planner, store and report tests run fast.
enum StudyFixtures {
    static let systems = [
        StudySystem(name: "A", checkpoint: "runs/a/best"), StudySystem(name: "B", checkpoint: "runs/b/best"), StudySystem.truth,
    ]

    /// `count` prompts alternating between the datasets `one` and `two`; prompt p's truth clip is clip p, A plays
    /// clip p+1 unless `p % agreeEvery == 0` (then the truth), B plays clip p+2.
    static func prompts(count: Int, agreeEvery: Int = 5) -> (clips: [StudyClip], prompts: [StudyPrompt]) {
        let clips = (1...(count + 2)).map {
            StudyClip(id: $0, dataset: $0 % 2 == 1 ? "one" : "two", item: String(format: "%06d", $0), audio: "/music/\($0).wav")
        }
        let prompts = (1...count).map { id in
            StudyPrompt(
                id: id, dataset: id % 2 == 1 ? "one" : "two", text: "prompt \(id)", truthClip: id,
                clips: ["truth": id, "A": id % agreeEvery == 0 ? id : id + 1, "B": id + 2])
        }
        return (clips, prompts)
    }

    static func plan(prompts count: Int = 24, perParticipant: Int = 24, seed: UInt64 = 7, agreeEvery: Int = 5) -> StudyPlan {
        let (clips, prompts) = prompts(count: count, agreeEvery: agreeEvery)
        return StudyPlan(
            systems: systems, clips: clips, prompts: prompts,
            trials: StudyPlanner.trials(systems: systems, prompts: prompts, seed: seed), trialsPerParticipant: perParticipant,
            seed: seed, split: "test")
    }

    static func temporaryFile(_ name: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-study-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent(name).path
    }
}
