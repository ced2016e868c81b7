import DuetEncoders
import DuetFeatures
import DuetRetrieval
import DuetTraining
import Foundation

extension RetrievalEvaluation {
    /// The CLAP zero-shot baseline (the paper's "CLAP" row): LAION-CLAP as released, no training. A clip is
    /// its L2-normalised CLAP audio embedding (cached as `kind`, ``Encoders/clapFeatureKind(folder:)``), a
    /// query its L2-normalised CLAP text embedding; clips are ranked by cosine, as every other row.
    /// - Parameter kind: a `.clap` feature kind the dataset was prepared with.
    public func clapZeroShot(dataset: PreparedDataset, kind: AudioFeatureKind, encoders: Encoders) throws -> SubsetEvaluation.Summary {
        guard case .clap(let folder, _, let width) = kind else { preconditionFailure("clapZeroShot reads CLAP features, not \(kind)") }
        let (entries, queries) = queries(in: dataset)
        try requireItems(entries)
        let clap = try encoders.clap(folder: folder)
        let items = try entries.flatMap { try dataset.audioFeatures(of: $0, kind: kind) }
        let batch = 64
        let progress = ProgressBar(label: "CLAP text embeddings", total: queries.count, enabled: showsProgress && queries.count > batch)
        var texts: [Float] = []
        for start in stride(from: 0, to: queries.count, by: batch) {
            let chunk = queries[start..<min(queries.count, start + batch)].map(\.text)
            texts += try clap.textEmbeddings(chunk).embedding.storage
            progress.advance(by: chunk.count)
        }
        if queries.count > batch { progress.finish() }
        return subsets.evaluate(items: items, queries: texts, queryTargets: queries.map(\.item), dimension: width)
    }

    /// The CLAP baseline's name in reports.
    public static let clapZeroShotLabel = "zero-shot CLAP (LAION-CLAP HTS-AT + RoBERTa)"
}
