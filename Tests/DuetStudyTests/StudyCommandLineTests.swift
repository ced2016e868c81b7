import DuetStudy
import DuetTestSupport
import Foundation
import Testing

/// `duet study create` and `duet study report` refuse bad input before any work, with a message naming what to
/// change; `report` reads a study written by the store.
@Suite("study command line")
struct StudyCommandLineTests {
    @Test func createRefusesBadSystemsCountsAndPaths() throws {
        let root = try SearchFixtures.temporaryFolder("study-cli")
        let manifest = root.appendingPathComponent("manifest.jsonl")
        try Data().write(to: manifest)
        let checkpoint = try SearchFixtures.tinyCheckpoint(in: root)
        let output = root.appendingPathComponent("study.sqlite").path
        let base = ["study", "create", "--manifest", manifest.path, "-o", output]
        let cases: [([String], String)] = [
            (["--system", "A", "--system", "truth"], "is not NAME=CHECKPOINT"),
            (["--system", "truth=\(checkpoint.path)", "--system", "truth"], "reserved for the ground truth"),
            (["--system", "A=\(checkpoint.path)"], "at least two systems"),
            (["--system", "A=\(checkpoint.path)", "--system", "A=\(checkpoint.path)"], "given twice"),
            (["--system", "A=\(root.path)/nowhere", "--system", "truth"], "no checkpoint there"),
            (["--system", "A=\(checkpoint.path)", "--system", "truth", "--prompts", "0"], "--prompts must be from 1"),
            (["--system", "A=\(checkpoint.path)", "--system", "truth", "--trials-per-participant", "-3"], "--trials-per-participant must be from 1"),
            (["--system", "A=\(checkpoint.path)", "--system", "truth", "--split", "dev"], "--split must be train, valid or test"),
        ]
        for (arguments, message) in cases {
            let result = try DuetCommand.run(base + arguments)
            #expect(result.status != 0 && result.error.contains(message), "\(arguments): \(result.error)")
        }
        #expect(!FileManager.default.fileExists(atPath: output))
        let folder = try DuetCommand.run(["study", "create", "--manifest", manifest.path, "--system", "A=\(checkpoint.path)", "--system", "truth", "-o", root.path])
        #expect(folder.status != 0 && folder.error.contains("is a folder"), "\(folder.error)")
    }

    @Test func reportReadsAStudyAndRefusesWhatIsNot() throws {
        let path = try StudyFixtures.temporaryFile("study.sqlite")
        try StudyStore.create(at: path, plan: StudyFixtures.plan(prompts: 4), replacingExisting: false)
        let store = try StudyStore(path: path)
        let participant = try store.addParticipant()
        let first = try #require(store.plan.schedule(participant: participant.number).first)
        try store.record(participant: participant.id, trial: first.trial, choice: .tie)

        let report = try DuetCommand.run(["study", "report", path])
        #expect(report.status == 0, "\(report.error)")
        #expect(report.output.contains("1 of 1 participants answered 1 comparisons"), "\(report.output)")
        let svg = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("study.svg").path
        let json = try DuetCommand.run(["study", "report", path, "--json", "--svg", svg])
        let decoded = try JSONDecoder().decode(StudyReport.self, from: Data(json.output.utf8))
        #expect(decoded.answers == 1 && decoded.sides.tie.count == 1)
        #expect(try String(contentsOfFile: svg, encoding: .utf8).hasPrefix("<svg"))
        let again = try DuetCommand.run(["study", "report", path, "--svg", svg])
        #expect(again.status != 0 && again.error.contains("--force"), "\(again.error)")

        let missing = try DuetCommand.run(["study", "report", path + ".missing"])
        #expect(missing.status != 0 && missing.error.contains("no such study"), "\(missing.error)")
        let text = try StudyFixtures.temporaryFile("notes.sqlite")
        try Data("hello".utf8).write(to: URL(fileURLWithPath: text))
        let notStudy = try DuetCommand.run(["study", "report", text])
        #expect(notStudy.status != 0 && notStudy.error.contains("cannot open the study"), "\(notStudy.error)")
    }
}
