import DuetData
import DuetModel
import DuetRetrieval
import DuetTraining
import Foundation

/// The paper's experiments on one training manifest, evaluated on one or more manifests:
/// - `ablation` (Table 4): tags only; + tag-to-caption; + Augmented View Dropout; + TextSwap.
/// - `pcap` (Figure 3): tag-to-caption with `p_cap` ∈ {0, 0.5, 1} (no View Dropout or TextSwap,
///   the setting of section 4.1), reported as the relative change of R@10 against `p_cap = 0`.
///
/// Each variant trains into its own folder under `out/` and resumes there, so an interrupted
/// experiment continues where it stopped and finished variants are not retrained.
public struct Experiment {
    public struct Variant: Sendable {
        public var name: String
        public var configuration: TrainingConfiguration
        public var recipe: EvaluationReport.Recipe
    }

    public enum Kind: String, Sendable, CaseIterable {
        case ablation, pcap
    }

    public var kind: Kind
    public var base: TrainingConfiguration
    public var dictionary: SwapDictionary
    public var evaluation = RetrievalEvaluation()
    public var showsProgress = true

    public init(kind: Kind, base: TrainingConfiguration, dictionary: SwapDictionary) {
        self.kind = kind
        self.base = base
        self.dictionary = dictionary
    }

    /// The variants to train.
    public var variants: [Variant] {
        func variant(_ name: String, captions: Bool, views: Bool, swap: Bool, pCap: Double? = nil) -> Variant {
            var configuration = base
            configuration.useCaptions = captions
            configuration.useViews = views
            configuration.useTextSwap = swap
            if let pCap { configuration.captionProbability = pCap }
            return Variant(name: name, configuration: configuration, recipe: configuration.recipe)
        }
        switch kind {
        case .ablation:
            return [
                variant("1-tags-only", captions: false, views: false, swap: false),
                variant("2-tag-to-caption", captions: true, views: false, swap: false),
                variant("3-view-dropout", captions: true, views: true, swap: false),
                variant("4-textswap", captions: true, views: true, swap: true),
            ]
        case .pcap:
            return [0.0, 0.5, 1.0].map { (value: Double) in variant("pcap-\(value)", captions: true, views: false, swap: false, pCap: value) }
        }
    }

    /// Trains every variant on `training` (resuming), evaluates each on `evaluationSets` with the
    /// zero-shot baseline first, and writes `report.md`, `report.json` (and `pcap.svg`) to `out`.
    public func run(training: PreparedDataset, evaluationSets: [PreparedDataset], encoders: Encoders, out: URL) throws -> EvaluationReport {
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        var report = EvaluationReport(datasets: evaluationSets.map(\.name))
        report.rows.append(try evaluation.zeroShotRow(datasets: evaluationSets, encoders: encoders))
        for variant in variants {
            if showsProgress { FileHandle.standardError.write(Data("== \(kind.rawValue): \(variant.name)\n".utf8)) }
            var pipeline = TrainingPipeline(configuration: variant.configuration, dictionary: dictionary)
            pipeline.showsProgress = showsProgress
            let outcome = try pipeline.train(dataset: training, encoders: encoders, runFolder: out.appendingPathComponent(variant.name), resume: true)
            let model = try ModelCheckpoint.loadModel(from: outcome.bestCheckpoint)
            var results: [String: SubsetEvaluation.Summary] = [:]
            for dataset in evaluationSets { results[dataset.name] = try evaluation.evaluate(model: model, dataset: dataset, encoders: encoders) }
            let setting = variant.configuration.audioEncoder == .scratch ? " (from scratch)" : ""
            let label = kind == .pcap ? "DuET-MC\(setting) p_cap=\(variant.configuration.captionProbability)" : "DuET-MC\(setting) \(variant.name)"
            report.rows.append(.init(model: label, recipe: variant.recipe, results: results))
            try report.markdown().write(to: out.appendingPathComponent("report.md"), atomically: true, encoding: .utf8)
        }
        try report.json().write(to: out.appendingPathComponent("report.json"))
        if kind == .pcap { try relativeChangeChart(report).write(to: out.appendingPathComponent("pcap.svg"), atomically: true, encoding: .utf8) }
        return report
    }

    /// Figure 3: relative change of R@10 against `p_cap = 0`, one line per evaluation set.
    func relativeChangeChart(_ report: EvaluationReport) -> String {
        let trained = report.rows.filter { $0.recipe != nil }
        let values = variants.map(\.configuration.captionProbability)
        let series = report.datasets.map { dataset -> LineChart.Series in
            let baseline = trained.first?.results[dataset]?.mean.recallAt10 ?? .nan
            let points = zip(values, trained).map { value, row in
                (x: value, y: 100 * ((row.results[dataset]?.mean.recallAt10 ?? .nan) - baseline) / baseline)
            }
            return LineChart.Series(name: dataset, points: points)
        }
        return LineChart(title: "Effect of p_cap (relative to p_cap = 0)", xLabel: "p_cap", yLabel: "R@10 change (%)", series: series).svg()
    }
}
