import DuetData
import DuetEncoders
import DuetFeatures
import DuetModel
import DuetRetrieval
import DuetTensor
import DuetTraining
import Foundation

/// Text-to-music retrieval on a prepared dataset's held-out split (or splits), the paper's protocol (section
/// 2.2): queries are the items' captions (several per clip allowed), targets the clips, metrics
/// averaged over seeded 500-item subsets.
public struct RetrievalEvaluation {
    public var subsets: SubsetEvaluation
    /// The splits whose items are evaluated together (the test split by default; valid and test of a
    /// corpus no run trained on make a larger held-out set).
    public var splits: [Split]
    public var showsProgress = true
    /// The language of the queries (ISO 639-1): `en` reads `captions`, any other code
    /// `captions_by_language`.
    public var language: String
    /// Languages an item needs captions in to be evaluated at all, so that evaluations in
    /// several languages rank the same clips; empty: only `language`.
    public var requiredLanguages: [String]

    public init(
        subsets: SubsetEvaluation = SubsetEvaluation(), splits: [Split] = [.test],
        language: String = ManifestEntry.captionLanguage, requiredLanguages: [String] = []
    ) {
        precondition(!splits.isEmpty, "evaluate at least one split")
        self.subsets = subsets
        self.splits = splits
        self.language = language
        self.requiredLanguages = requiredLanguages
    }

    /// The held-out entries that have captions in `language` and every required language, and
    /// every (entry row, caption) query in `language`.
    public func queries(in dataset: PreparedDataset) -> (entries: [ManifestEntry], queries: [(item: Int, text: String)]) {
        Self.queries(from: dataset.entries.filter { splits.contains($0.split) }, language: language, requiredLanguages: requiredLanguages)
    }

    static func queries(
        from candidates: [ManifestEntry], language: String, requiredLanguages: [String]
    ) -> (entries: [ManifestEntry], queries: [(item: Int, text: String)]) {
        let languages = [language] + requiredLanguages
        let entries = candidates.filter { entry in languages.allSatisfy { !entry.captions(inLanguage: $0).isEmpty } }
        let queries = entries.enumerated().flatMap { index, entry in
            entry.captions(inLanguage: language).map { (item: index, text: $0) }
        }
        return (entries, queries)
    }

    /// The evaluated splits for messages: "test", or "valid+test".
    public var splitNames: String { splits.map(\.rawValue).joined(separator: "+") }

    /// Throws `noUsableItems`, naming the splits and languages, when no item can be evaluated.
    func requireItems(_ entries: [ManifestEntry]) throws {
        guard entries.isEmpty else { return }
        throw FeatureExtractionError.noUsableItems(split: "\(splitNames) (with captions in \(Self.languageList([language] + requiredLanguages)))")
    }

    /// Evaluates a trained model.
    public func evaluate(model: MusicTextModel, dataset: PreparedDataset, encoders: Encoders) throws -> SubsetEvaluation.Summary {
        let (entries, queries) = queries(in: dataset)
        try requireItems(entries)
        let (items, texts) = try embeddings(model: model, dataset: dataset, entries: entries, texts: queries.map(\.text), encoders: encoders)
        return subsets.evaluate(
            items: items, queries: texts, queryTargets: queries.map(\.item), dimension: model.configuration.embeddingWidth)
    }

    /// A trained model's L2-normalised embeddings of `entries` (their cached audio features) and of `texts`
    /// (locked text features extracted into the dataset's cache first when missing), both row-major
    /// `[count, embeddingWidth]`: the one embedding path of evaluation and of the listening study's retrieval.
    public func embeddings(
        model: MusicTextModel, dataset: PreparedDataset, entries: [ManifestEntry], texts queryTexts: [String], encoders: Encoders
    ) throws -> (items: [Float], texts: [Float]) {
        // The encoder the model was trained on; a folder tower's files must be the ones it recorded.
        let textEncoder = try encoders.resolve(model.configuration.textEncoderSelection)
        try TextFeatureExtractor(encoder: try encoders.text(textEncoder), selection: textEncoder, cache: dataset.cache)
            .extract(queryTexts, showsProgress: showsProgress)
        model.eval()
        let audioKind = AudioFeatureKind(model: model.configuration)
        let batch = 128
        return try withoutGradient { () throws -> ([Float], [Float]) in
            var items: [Float] = []
            for start in stride(from: 0, to: entries.count, by: batch) {
                let chunk = entries[start..<min(entries.count, start + batch)]
                let features = try chunk.flatMap { try dataset.audioFeatures(of: $0, kind: audioKind) }
                let audio = Tensor(features, shape: [chunk.count] + audioKind.shape)
                items += model.embedAudio(audio).l2Normalized().storage
            }
            var texts: [Float] = []
            for start in stride(from: 0, to: queryTexts.count, by: batch) {
                let chunk = Array(queryTexts[start..<min(queryTexts.count, start + batch)])
                let (states, padding) = try Self.paddedStates(
                    chunk, cache: dataset.cache, encoder: textEncoder, width: model.configuration.textWidth)
                texts += model.embedText(states, keyPadding: padding).l2Normalized().storage
            }
            return (items, texts)
        }
    }

    /// The zero-shot baseline: no training at all. A clip is represented by musicnn's 50 tag
    /// probabilities spread over the MiniLM sentence embeddings of the tag names
    /// (`Σ p_t · e(tag_t)`, normalised); a query by its MiniLM sentence embedding (mean of its token
    /// states, normalised, as sentence-transformers computes it); clips are ranked by cosine.
    public func zeroShot(dataset: PreparedDataset, encoders: Encoders) throws -> SubsetEvaluation.Summary {
        let (entries, queries) = queries(in: dataset)
        try requireItems(entries)
        let tagNames = try encoders.audio().tags
        let encoder = try encoders.text(.miniLM)
        let width = encoder.hiddenSize
        let extractor = TextFeatureExtractor(encoder: encoder, kind: .miniLM, cache: dataset.cache)
        try extractor.extract(queries.map(\.text) + tagNames, showsProgress: showsProgress)
        let tagEmbeddings = try tagNames.map { try Self.sentenceEmbedding(of: $0, cache: dataset.cache, width: width) }
        var items: [Float] = []
        for entry in entries {
            let probabilities = try dataset.tagProbabilities(of: entry)
            var vector = [Float](repeating: 0, count: width)
            for (probability, embedding) in zip(probabilities, tagEmbeddings) {
                for index in 0..<width { vector[index] += probability * embedding[index] }
            }
            items += Self.normalised(vector)
        }
        let texts = try queries.flatMap { try Self.sentenceEmbedding(of: $0.text, cache: dataset.cache, width: width) }
        return subsets.evaluate(items: items, queries: texts, queryTargets: queries.map(\.item), dimension: width)
    }

    /// The report row of the zero-shot baseline, the one place it is built (demo, evaluate,
    /// experiments): `zeroShot` on each dataset, under the report column that `datasets` names it by.
    public func zeroShotRow(datasets: [String: PreparedDataset], encoders: Encoders) throws -> EvaluationReport.Row {
        var results: [String: SubsetEvaluation.Summary] = [:]
        for (column, dataset) in datasets.sorted(by: { $0.key < $1.key }) {
            results[column] = try zeroShot(dataset: dataset, encoders: encoders)
        }
        return EvaluationReport.Row(model: Self.zeroShotLabel, results: results)
    }

    /// The zero-shot baseline's name in reports.
    public static let zeroShotLabel = "zero-shot (musicnn tags + MiniLM)"

    /// The report row of the zero-shot baseline on `datasets`, each under its own name.
    public func zeroShotRow(datasets: [PreparedDataset], encoders: Encoders) throws -> EvaluationReport.Row {
        try zeroShotRow(datasets: Dictionary(datasets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }), encoders: encoders)
    }

    /// The MiniLM sentence embedding of a cached text (`width`: MiniLM's hidden size).
    static func sentenceEmbedding(of text: String, cache: FeatureCache, width: Int) throws -> [Float] {
        let states = try TextFeatureExtractor.states(of: text, in: cache, encoder: .miniLM)
        let length = states.count / width
        var mean = [Float](repeating: 0, count: width)
        for position in 0..<length {
            for index in 0..<width { mean[index] += states[position * width + index] / Float(length) }
        }
        return normalised(mean)
    }

    static func languageList(_ codes: [String]) -> String {
        var unique: [String] = []
        for code in codes where !unique.contains(code) { unique.append(code) }
        return unique.joined(separator: ", ")
    }

    static func normalised(_ vector: [Float]) -> [Float] {
        let norm = max(vector.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
        return vector.map { $0 / norm }
    }

    static func paddedStates(_ texts: [String], cache: FeatureCache, encoder: TextEncoderSelection, width: Int) throws -> (Tensor, [Bool]) {
        TrainingData.padded(try texts.map { try TextFeatureExtractor.states(of: $0, in: cache, encoder: encoder) }, width: width)
    }
}
