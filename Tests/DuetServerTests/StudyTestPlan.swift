import DuetStudy
import DuetTestSupport
import Foundation

/// A small study over generated WAV files, planned without models (each system's clip chosen by a rule), for the
/// in-process study route tests.
enum StudyTestPlan {
    /// `prompts` prompts over `prompts + 2` clips in `folder`; prompt p: truth clip p, A clip p+1, B clip p+2.
    static func write(in folder: URL, prompts count: Int = 4, perParticipant: Int = 5) throws -> (path: String, plan: StudyPlan) {
        let systems = [StudySystem(name: "A", checkpoint: "a"), StudySystem(name: "B", checkpoint: "b"), StudySystem.truth]
        let files = try SearchFixtures.library(count: count + 2, seconds: 2, in: folder)
        let clips = files.enumerated().map { index, file in
            StudyClip(id: index + 1, dataset: "demo", item: String(index), audio: file.path, start: index == 0 ? 0.5 : nil, end: index == 0 ? 1.5 : nil)
        }
        let prompts = (1...count).map { id in
            StudyPrompt(id: id, dataset: "demo", text: "prompt number \(id)", truthClip: id, clips: ["truth": id, "A": id + 1, "B": id + 2])
        }
        let plan = StudyPlan(
            systems: systems, clips: clips, prompts: prompts, trials: StudyPlanner.trials(systems: systems, prompts: prompts, seed: 1),
            trialsPerParticipant: perParticipant, seed: 1, split: "test")
        let path = folder.appendingPathComponent("study.sqlite").path
        try StudyStore.create(at: path, plan: plan, replacingExisting: false)
        return (path, plan)
    }
}
