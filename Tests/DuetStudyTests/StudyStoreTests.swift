import DuetStudy
import Foundation
import Testing

@Suite struct StudyStoreTests {
    @Test func planRoundTripsAndAnswersPersist() throws {
        let path = try StudyFixtures.temporaryFile("study.sqlite")
        let plan = StudyFixtures.plan(prompts: 6, perParticipant: 5)
        try StudyStore.create(at: path, plan: plan, replacingExisting: false)
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
        #expect(throws: StudyError.self) { try StudyStore.create(at: path, plan: plan, replacingExisting: false) }

        let store = try StudyStore(path: path)
        #expect(store.plan == plan)
        let first = try store.addParticipant(), second = try store.addParticipant()
        #expect((first.number, second.number) == (0, 1))
        #expect(first.id.count == 32 && first.id != second.id)
        #expect(try store.participant(id: first.id) == first)
        #expect(try store.participant(id: "nobody") == nil)

        let scheduled = plan.schedule(participant: 0)[0]
        let trial = try #require(plan.trial(id: scheduled.trial))
        let answer = try store.record(participant: first.id, trial: trial.id, choice: .left)
        #expect(answer.leftSystem == trial.sides(mirrored: scheduled.mirrored).left)
        // A retried request is a no-op; another choice for the same trial is refused.
        try store.record(participant: first.id, trial: trial.id, choice: .left)
        #expect(throws: StudyError.conflictingAnswer(participant: first.id, trial: trial.id, stored: "left")) {
            try store.record(participant: first.id, trial: trial.id, choice: .tie)
        }
        let outside = try #require(plan.trials.first { candidate in !plan.schedule(participant: 0).contains { $0.trial == candidate.id } })
        #expect(throws: StudyError.unknownTrial(participant: first.id, trial: outside.id)) {
            try store.record(participant: first.id, trial: outside.id, choice: .left)
        }
        #expect(throws: StudyError.unknownParticipant("nobody")) { try store.record(participant: "nobody", trial: 1, choice: .left) }

        // A second connection (as `duet study report` while the server runs) sees the committed answer.
        let reader = try StudyStore(path: path)
        #expect(try reader.answers().count == 1)
        #expect(try reader.answeredTrials(participant: first.id) == [trial.id])
        #expect(try reader.participantCount() == 2)
    }

    @Test func refusesFilesThatAreNotStudies() throws {
        let missing = try StudyFixtures.temporaryFile("none.sqlite")
        #expect(throws: StudyError.self) { try StudyStore(path: missing) }
        let text = try StudyFixtures.temporaryFile("text.sqlite")
        try Data("not a database".utf8).write(to: URL(fileURLWithPath: text))
        #expect(throws: StudyError.self) { try StudyStore(path: text) }
    }
}
