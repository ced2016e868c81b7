import ArgumentParser
import DuetDemo
import DuetTraining
import Foundation

/// The main job (library code: `DuetDemo.DemoJob`): synthesise the embedded corpus, compute the locked
/// features, train DuET-MC with the full recipe, evaluate on the held-out human-style captions beside the
/// zero-shot baseline, and search the indexed test clips.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the whole pipeline on the embedded synthetic corpus and print the retrieval table.",
        discussion: """
        Stages (each timed, each resumable: rerunning skips finished work): 1. render --count clips with \
        FluidSynth, and the out-of-world test split (OpenMSX MIDI files, held-out OPL-3 soundfont, its own \
        phrase book) into --out-of-world; 2. musicnn and MiniLM features into the cache; 3. train with \
        --config (default: the built-in Configs/demo.json: full recipe, smaller than the paper's); 4. evaluate \
        on the in-world test split's human-style captions and on the out-of-world split, with the zero-shot \
        baseline; 5. index the test clips into --run/library.sqlite and run three example searches. The \
        checkpoint is left in --run/best.
        """)

    @Option(help: "Corpus folder.") var data = "data/demo"
    @Option(name: .customLong("run"), help: "Run folder.") var runPath = "runs/demo"
    @Option(help: "Number of clips to synthesise.") var count = 1000
    @Option(help: "Corpus seed.") var seed: UInt64 = 0
    @Option(help: "Training configuration (default: the demo's, Configs/demo.json, built into duet).") var config: String?
    @Option(help: "Out-of-world test split folder (never read by training).") var outOfWorld = "data/demo-out-of-world"

    func run() throws {
        var options = DemoJob.Options(
            data: URL(fileURLWithPath: data, isDirectory: true), run: URL(fileURLWithPath: runPath, isDirectory: true),
            outOfWorld: URL(fileURLWithPath: outOfWorld, isDirectory: true))
        options.count = count
        options.seed = seed
        options.configuration = try config.map { try TrainingConfiguration.load(from: URL(fileURLWithPath: $0)) }
        let outcome = try DemoJob(options: options).run()
        print(outcome.summary(runFolder: runPath))
    }
}
