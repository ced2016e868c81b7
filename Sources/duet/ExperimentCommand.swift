import ArgumentParser
import DuetData
import DuetFeatures
import DuetPipeline
import DuetRetrieval
import DuetTraining
import Foundation

/// Reproduces the paper's ablation (Table 4) or p_cap sweep (Figure 3) on a training manifest.
struct ExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Train and evaluate the paper's ablation (Table 4) or p_cap sweep (Figure 3). Resumable.",
        discussion: """
        ablation: tags only; + tag-to-caption; + Augmented View Dropout; + TextSwap. pcap: p_cap in \
        {0, 0.5, 1} with tag-to-caption only. Every variant trains into OUT/<variant> and resumes there; \
        OUT/report.md (and OUT/pcap.svg) hold the results, with the zero-shot baseline as the first row.
        """)

    @Argument(help: "ablation or pcap.") var kind: String
    @Option(help: "Training manifest (default: the demo corpus).") var manifest = "data/demo/manifest.jsonl"
    @Option(name: .customLong("eval-manifest"), help: "Evaluation manifest (repeat; default: the training manifest's test split).") var evaluationManifests: [String] = []
    @Option(help: "Base training configuration.") var config = "Configs/demo.json"
    @Option(help: "Output folder (default: runs/<kind>).") var out: String?
    @Option(help: "Items per evaluation subset.") var subsetSize = 500

    func validate() throws {
        guard Experiment.Kind(rawValue: kind) != nil else { throw ValidationError("kind must be ablation or pcap") }
    }

    func run() throws {
        let encoders = Encoders()
        let base = try TrainingConfiguration.load(from: URL(fileURLWithPath: config))
        let trainingURL = URL(fileURLWithPath: manifest)
        let audioFeatures = [try base.audioFeatureKind(encoders: encoders)]
        let training = try PreparedDataset.load(
            manifestURL: trainingURL, splits: [.train, .valid, .test], audioFeatures: audioFeatures, encoders: encoders)
        var evaluationSets = [training]
        if !evaluationManifests.isEmpty {
            evaluationSets = try evaluationManifests.map {
                try PreparedDataset.load(manifestURL: URL(fileURLWithPath: $0), splits: [.test], audioFeatures: audioFeatures, encoders: encoders)
            }
        }
        var experiment = Experiment(kind: Experiment.Kind(rawValue: kind)!, base: base, dictionary: try SwapDictionary.bundled())
        experiment.evaluation = RetrievalEvaluation(subsets: SubsetEvaluation(subsetSize: subsetSize))
        let report = try experiment.run(
            training: training, evaluationSets: evaluationSets, encoders: encoders,
            out: URL(fileURLWithPath: out ?? "runs/\(kind)"))
        print(report.markdown())
    }
}
