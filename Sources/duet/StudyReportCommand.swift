import ArgumentParser
import DuetData
import DuetStudy
import Foundation

/// `duet study report`: win/tie/loss per pair of systems and dataset, with Wilson intervals.
struct StudyReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report a listening study: win/tie/loss per pair and dataset with 95% Wilson intervals, and against the truth.",
        discussion: """
        Reads the study file (also while `duet serve --study` is taking answers). Markdown by default, \
        --json for scripts, --svg writes the stacked-bar chart.
        """)

    @Argument(help: "The study file written by `duet study create`.") var study: String
    @Flag(help: "Print JSON instead of Markdown.") var json = false
    @Option(help: "Also write the chart as SVG here.") var svg: String?
    @Flag(help: "Replace an existing --svg file.") var force = false

    func validate() throws {
        guard FileManager.default.fileExists(atPath: study) else {
            throw ValidationError("\(study): no such study; create one with `duet study create ... -o \(study)`")
        }
        if let svg { try OutputPath.check(svg, option: "--svg", inputs: [study], replacingExisting: force) }
    }

    func run() throws {
        let store = try StudyStore(path: study)
        let report = StudyReport(plan: store.plan, answers: try store.answers(), participants: try store.participantCount())
        let title = URL(fileURLWithPath: study).lastPathComponent
        if let svg {
            try report.svg(title: "Listening study: \(title)").write(toFile: svg, atomically: true, encoding: .utf8)
        }
        print(json ? String(decoding: try report.json(), as: UTF8.self) : report.markdown(title: title))
    }
}
