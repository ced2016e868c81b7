import ArgumentParser

/// `duet study`: the paper's listening test as a tool (Docs/study.md).
struct StudyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "study",
        abstract: "Pairwise listening studies: create a study, serve it with `duet serve --study`, report the answers.",
        subcommands: [StudyCreate.self, StudyReportCommand.self])
}
