import ArgumentParser
import DuetData
import DuetStudy
import Foundation

/// `duet study create`: plans a listening study into one SQLite file.
struct StudyCreate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Plan a pairwise listening study: prompts from a split, each system's top track, balanced pairs.",
        discussion: """
        Draws --prompts captions per manifest from the split (one per clip), retrieves each trained system's \
        top clip for every prompt among the split's clips (features from the manifest's feature cache, as \
        `duet eval`), and plans every pair of systems per prompt with seeded, counterbalanced left/right order. \
        `--system truth` adds the ground-truth clip. A pair whose two systems play the same clip is not asked. \
        Serve the result with `duet serve --study FILE`; report with `duet study report FILE`.
        """)

    @Option(name: .customLong("manifest"), help: "Manifest to draw prompts and clips from (repeat for several datasets).")
    var manifests: [String]
    @Option(help: "Split to draw from.") var split = "test"
    @Option(name: .customLong("system"), help: "NAME=CHECKPOINT (e.g. A=runs/demo/best), or 'truth'; repeat, at least two.")
    var systems: [String]
    @Option(parsing: .unconditional, help: "Prompts per manifest (each from a different clip).") var prompts = 24
    @Option(parsing: .unconditional, help: "Comparisons each participant is asked (at most every planned one).")
    var trialsPerParticipant = 24
    @Option(help: "Seed of the prompt draw, the sides and the order.") var seed: UInt64 = 0
    @Option(name: .shortAndLong, help: "The study file to write (SQLite).") var output: String
    @Flag(help: "Replace an existing study file (and its answers).") var force = false
    @Flag(help: "Print the plan as JSON (systems, prompts, clips, trials) instead of a summary.") var json = false

    func validate() throws {
        guard !manifests.isEmpty else { throw ValidationError("give at least one --manifest") }
        guard Split(rawValue: split) != nil else { throw ValidationError("--split must be train, valid or test (got '\(split)')") }
        do {
            try builder().validate()
        } catch {
            throw ValidationError(error.localizedDescription)
        }
        for manifest in manifests where !FileManager.default.fileExists(atPath: manifest) {
            throw ValidationError("--manifest \(manifest): no such file")
        }
        try OutputPath.check(output, option: "--output", inputs: manifests, replacingExisting: force)
    }

    func builder() throws -> StudyBuilder {
        StudyBuilder(
            manifests: manifests.map { URL(fileURLWithPath: $0) }, split: Split(rawValue: split) ?? .test,
            systems: try systems.map { try StudySystem.parse($0) }, promptsPerDataset: prompts,
            trialsPerParticipant: trialsPerParticipant, seed: seed)
    }

    func run() throws {
        let started = Date()
        let plan = try builder().build()
        try StudyStore.create(at: output, plan: plan, replacingExisting: force)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(plan), as: UTF8.self))
            return
        }
        let identical = plan.prompts.count * plan.systemPairs.count - plan.trials.count
        let systems = plan.systems.map { system in system.checkpoint.map { "\(system.name) (\($0))" } ?? system.name }
        print("""
            study: \(output)
              systems: \(systems.joined(separator: ", "))
              \(plan.prompts.count) prompts from \(plan.datasets.joined(separator: ", ")) (\(plan.split) split), \(plan.clips.count) distinct clips
              \(plan.trials.count) comparisons planned, \(plan.sessionLength) per participant; not asked because both systems play the same clip: \(identical)
              created in \(String(format: "%.1f", Date().timeIntervalSince(started))) s; serve it: duet serve --study \(output)
            """)
    }
}
