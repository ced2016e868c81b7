import ArgumentParser
import DuetData
import DuetFeatures
import DuetModel
import DuetPipeline
import DuetRetrieval
import DuetTraining
import Foundation

/// Text-to-music retrieval on one or several manifests, laid out like the paper's Table 4.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate text-to-music retrieval (R@1/5/10, median rank) on the test split of one or more manifests.",
        discussion: """
        Queries are the test items' captions, targets their clips. Metrics are averaged over seeded random \
        subsets of --subset-size items (the whole split when smaller); ranks are 1-based and ties count \
        against the model. --languages evaluates the same clips with queries in several languages \
        (one column each, plus R@10 relative to English). --zero-shot adds the baseline without training: musicnn's tag probabilities \
        matched to the query through MiniLM. --clap-weights DIR adds the CLAP baseline: LAION-CLAP's audio and text embeddings \
        ranked by cosine (DIR: a CLAP folder, see Docs/encoders.md); its audio embeddings are cached with the other features.
        """)

    @Option(help: "Checkpoint folder (e.g. runs/demo/best).") var checkpoint: String?
    @Option(name: .customLong("manifest"), help: "Manifest to evaluate on (repeat for several).") var manifests: [String]
    @Flag(help: "Also evaluate the zero-shot musicnn-tags baseline.") var zeroShot = false
    @Option(help: ArgumentHelp(
        "Also evaluate the zero-shot CLAP baseline with the CLAP folder here.",
        discussion: "config.json, text_config.json, model.safetensors (from `duet convert-weights`), vocab.json and merges.txt; see Docs/encoders.md.",
        valueName: "dir"))
    var clapWeights: String?
    // `.unconditional` so that a negative number reaches validate() and its message.
    @Option(parsing: .unconditional, help: "Items per subset (10 to 1000000).") var subsetSize = 500
    @Option(parsing: .unconditional, help: "Number of subsets when a split is larger than --subset-size (1 to 1000).")
    var subsets = 10
    @Option(help: "Seed of the subset draws.") var seed: UInt64 = 0
    @Option(help: "Split to evaluate, or several separated by commas whose items are evaluated together (e.g. valid,test of a corpus no run trained on).")
    var split = "test"
    @Option(help: "Also write the Markdown table here (and the JSON next to it).") var out: String?
    @Flag(help: "Print JSON instead of Markdown.") var json = false
    @Flag(help: "Replace an existing --out report.") var force = false
    @Flag(help: "Leave out items whose audio file is missing (they are named) instead of failing.") var skipMissingAudio = false
    @Option(help: ArgumentHelp(
        "Query languages, comma-separated ISO 639-1 codes (e.g. en,de,fr,es,it,pt): one column per language, on the clips that have captions in all of them.",
        discussion: "en reads the manifest's `captions`, other codes its `captions_by_language`."))
    var languages: String?
    @OptionGroup var encoderWeights: EncoderWeightsOptions

    /// The codes of --languages, in order, without repeats; empty without the option.
    var languageCodes: [String] {
        var codes: [String] = []
        for code in (languages ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) })
        where !code.isEmpty && !codes.contains(code) { codes.append(code) }
        return codes
    }

    func validate() throws {
        guard !manifests.isEmpty else { throw ValidationError("give at least one --manifest") }
        guard checkpoint != nil || zeroShot || clapWeights != nil else {
            throw ValidationError("give --checkpoint, --zero-shot, --clap-weights, or several of them")
        }
        guard !splitList.isEmpty, splitList.allSatisfy({ Split(rawValue: $0) != nil }), Set(splitList).count == splitList.count else {
            throw ValidationError("--split must be train, valid or test, or several of them separated by commas (got '\(split)')")
        }
        // R@10 among fewer than 10 items counts every query as found.
        guard (10...1_000_000).contains(subsetSize) else {
            throw ValidationError("--subset-size must be from 10 to 1000000 (got \(subsetSize)); R@10 needs at least 10 items")
        }
        guard (1...1_000).contains(subsets) else { throw ValidationError("--subsets must be from 1 to 1000 (got \(subsets))") }
        if languages != nil {
            guard !languageCodes.isEmpty else { throw ValidationError("--languages needs at least one code, e.g. en,de") }
            for code in languageCodes where !(code.count == 2 && code.unicodeScalars.allSatisfy { ("a"..."z").contains($0) }) {
                throw ValidationError("--languages: '\(code)' is not a two-letter lowercase ISO 639-1 code (e.g. en, de, fr)")
            }
        }
        if let out {
            let json = URL(fileURLWithPath: out).deletingPathExtension().appendingPathExtension("json")
            try OutputPath.check(out, option: "--out", inputs: manifests + [checkpoint].compactMap { $0 }, companions: [json], replacingExisting: force)
        }
    }

    /// `--split` as a list.
    var splitList: [String] { split.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    func run() throws {
        let encoders = encoderWeights.encoders()
        let evaluation = RetrievalEvaluation(
            subsets: SubsetEvaluation(subsetSize: subsetSize, subsetCount: subsets, seed: seed), splits: splitList.compactMap(Split.init(rawValue:)))
        let model = try checkpoint.map { try ModelCheckpoint.loadModel(from: URL(fileURLWithPath: $0)) }
        let clapKind = try clapWeights.map { try encoders.clapFeatureKind(folder: $0) }
        var datasets: [PreparedDataset] = []
        for path in manifests {
            datasets.append(try PreparedDataset.load(
                manifestURL: URL(fileURLWithPath: path), splits: Set(evaluation.splits),
                audioFeatures: (model.map { [AudioFeatureKind(model: $0.configuration)] } ?? []) + (clapKind.map { [$0] } ?? []),
                encoders: encoders, skipMissingAudio: skipMissingAudio, addsMusicnnTags: zeroShot || model != nil))
        }
        for dataset in datasets where dataset.entries.count < 10 {
            FileHandle.standardError.write(Data("warning: \(dataset.name): only \(dataset.entries.count) \(evaluation.splitNames) items; R@10 among fewer than 10 items counts every query as found, and R@5 among fewer than 5\n".utf8))
        }
        // One column per dataset, or per dataset and language with --languages.
        let codes = languageCodes
        var columns: [(dataset: String, language: String, name: String)] = datasets.map {
            (dataset: $0.name, language: ManifestEntry.captionLanguage, name: $0.name)
        }
        var references: [String: String] = [:]
        if !codes.isEmpty {
            (columns, references) = EvaluationReport.languageColumns(
                datasets: datasets.map(\.name), languages: codes, reference: ManifestEntry.captionLanguage)
        }
        func columnResults(_ body: (RetrievalEvaluation, PreparedDataset) throws -> SubsetEvaluation.Summary) throws -> [String: SubsetEvaluation.Summary] {
            var results: [String: SubsetEvaluation.Summary] = [:]
            for column in columns {
                guard let dataset = datasets.first(where: { $0.name == column.dataset }) else { continue }
                var columnEvaluation = evaluation
                columnEvaluation.language = column.language
                columnEvaluation.requiredLanguages = codes
                results[column.name] = try body(columnEvaluation, dataset)
            }
            return results
        }
        var report = EvaluationReport(datasets: columns.map(\.name), referenceColumns: references.isEmpty ? nil : references)
        if zeroShot {
            let results = try columnResults { try $0.zeroShot(dataset: $1, encoders: encoders) }
            report.rows.append(.init(model: RetrievalEvaluation.zeroShotLabel, results: results))
        }
        if let clapKind {
            let results = try columnResults { try $0.clapZeroShot(dataset: $1, kind: clapKind, encoders: encoders) }
            report.rows.append(.init(model: RetrievalEvaluation.clapZeroShotLabel, results: results))
        }
        if let model, let checkpoint {
            let results = try columnResults { try $0.evaluate(model: model, dataset: $1, encoders: encoders) }
            let folder = ModelCheckpoint.folder(URL(fileURLWithPath: checkpoint))
            let trained = try ModelCheckpoint.description(in: folder, details: TrainingConfiguration.self).details
            let recipe = trained?.recipe
            report.rows.append(.init(model: "DuET-MC \(model.configuration.encoderSummary) (\(folder.deletingLastPathComponent().lastPathComponent)/\(folder.lastPathComponent))", recipe: recipe, results: results))
        }
        if let out {
            let url = URL(fileURLWithPath: out)
            try report.markdown().write(to: url, atomically: true, encoding: .utf8)
            try report.json().write(to: url.deletingPathExtension().appendingPathExtension("json"))
        }
        print(json ? String(decoding: try report.json(), as: UTF8.self) : report.markdown())
    }
}
