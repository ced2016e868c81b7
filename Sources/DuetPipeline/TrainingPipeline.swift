import DuetData
import DuetEncoders
import DuetFeatures
import DuetModel
import DuetTensor
import DuetTraining
import Foundation

/// Trains DuET-MC on a prepared dataset: builds the recipe's texts, caches their token states,
/// and runs the `Trainer`.
public struct TrainingPipeline {
    public var configuration: TrainingConfiguration
    public var dictionary: SwapDictionary
    public var showsProgress = true

    public init(configuration: TrainingConfiguration, dictionary: SwapDictionary) {
        self.configuration = configuration
        self.dictionary = dictionary
    }

    /// The held-out queries of the validation split: each item's own captions (human-written in the
    /// embedded corpus) or, when it has none, the caption of its first recipe view.
    /// `firstViews[i]` is the first recipe view of `entries[i]`.
    static func validationQueries(_ entries: [ManifestEntry], firstViews: [RecipeView]) -> [(item: Int, text: String)] {
        entries.enumerated().flatMap { index, entry -> [(item: Int, text: String)] in
            if let captions = entry.captions, !captions.isEmpty { return captions.map { (item: index, text: $0) } }
            return [(item: index, text: firstViews[index].caption ?? firstViews[index].tagList)]
        }
    }

    /// Runs training into `runFolder` (resuming when asked and possible).
    /// - Parameter augmentedViews: views written by `duet augment` by item id (offline or language-model
    ///   captions); items without a line get views drawn by the recipe.
    public func train(
        dataset: PreparedDataset, encoders: Encoders, runFolder: URL, resume: Bool, augmentedViews: [String: ItemViews] = [:]
    ) throws -> TrainingOutcome {
        // A folder encoder's folder is made absolute and fingerprinted first (MERT's and HTS-AT's layer widths
        // read from it); the configuration the trainer saves (and compares on resume) and the checkpoint's model
        // configuration record both.
        var resolved = try self.configuration.resolvingAudioEncoder(encoders)
        let textKind = try encoders.resolve(resolved.model.textEncoderSelection)
        resolved.model.textEncoderSelection = textKind
        let configuration = resolved
        let train = dataset.entries(in: .train), valid = dataset.entries(in: .valid)
        guard !train.isEmpty else { throw FeatureExtractionError.noUsableItems(split: "train") }
        guard !valid.isEmpty else { throw FeatureExtractionError.noUsableItems(split: "valid") }
        let recipe = Recipe(configuration: configuration, vocabulary: dataset.vocabulary, dictionary: dictionary)
        let views = train.map { recipe.views(for: $0, augmented: augmentedViews[$0.id]) }
        let firstValidViews = valid.map { recipe.views(for: $0, augmented: augmentedViews[$0.id])[0] }
        if showsProgress, !augmentedViews.isEmpty {
            let used = train.count { augmentedViews[$0.id] != nil }
            let fromModel = views.joined().count { $0.captionSource == "llm" }
            FileHandle.standardError.write(Data("recipe: views from the views file for \(used) of \(train.count) training items (\(fromModel) language-model captions)\n".utf8))
        }
        let validation = Self.validationQueries(valid, firstViews: firstValidViews)

        // Early stopping follows the paper: the validation loss uses texts made like the training
        // texts (each valid item's first view: its caption, or its tag list without captions);
        // the held-out human captions give the validation R@10.
        let positives = firstValidViews.map { $0.caption ?? $0.tagList }
        let trainingTexts = views.flatMap { $0.flatMap(\.allTexts) }
        let texts = trainingTexts + validation.map(\.text) + positives
        let textEncoder = try encoders.text(textKind)
        try TextFeatureExtractor(encoder: textEncoder, selection: textKind, cache: dataset.cache).extract(texts, showsProgress: showsProgress)
        // The input widths come from the encoders' configurations (not the defaults' literals).
        var base = ModelConfiguration()
        base.textWidth = textEncoder.hiddenSize
        base.audioLayerWidths = configuration.audioEncoder.readsWeightsFolder
            ? configuration.model.audioLayerWidths : MusiCNNConfiguration().layerWidths
        base.logMelBandCount = AudioFeatureKind.logMelBandCount

        // Items 0..<train.count are training clips, the rest validation clips.
        let all = train + valid
        let captionProbability = configuration.useCaptions ? configuration.captionProbability : 0
        let audioKind = AudioFeatureKind(model: configuration.modelConfiguration(base: base))
        let data = TrainingData(
            trainItems: Array(train.indices), validItems: Array(train.count..<all.count),
            audioTokenCount: audioKind.shape[0], audioWidth: audioKind.shape[1], textWidth: base.textWidth,
            audioFeatures: { try dataset.audioFeatures(of: all[$0], kind: audioKind) },
            textStates: { try TextFeatureExtractor.states(of: $0, in: dataset.cache, encoder: textKind) },
            batchTexts: { items, epoch, generator in
                TrainingTextBatch(Recipe.batch(
                    views: items.map { views[$0] }, captionProbability: captionProbability,
                    swapProbability: configuration.swapProbability(epoch: epoch), using: &generator))
            },
            validationQueries: validation.map { (item: train.count + $0.item, text: $0.text) },
            validationPositives: positives)

        var modelConfiguration = configuration.modelConfiguration(base: base)
        if configuration.standardizeTextStates {
            modelConfiguration.textStandardization = try Self.textStandardization(
                of: trainingTexts, width: base.textWidth, states: { try TextFeatureExtractor.states(of: $0, in: dataset.cache, encoder: textKind) })
        }
        let model = MusicTextModel(configuration: modelConfiguration, seed: configuration.seed)
        if showsProgress {
            FileHandle.standardError.write(Data("training DuET-MC (\(audioKind.description) audio input, \(textKind.kind.displayName) text input): \(model.parameterCount) trainable parameters, \(train.count) train / \(valid.count) valid clips, \(Set(texts).count) distinct texts\n".utf8))
        }
        let trainer = Trainer(configuration: configuration, model: model, data: data, runFolder: runFolder)
        trainer.showsProgress = showsProgress
        return try trainer.run(resume: resume)
    }

    /// Texts the text standardisation is estimated from, at most: an even stride through the distinct
    /// training texts (the statistics of 8,192 texts' tokens are as good as all of them, and reading
    /// them stays quick).
    static let standardizationTextLimit = 8_192

    /// The per-channel standardisation of the token states of `texts` (training texts only, so the
    /// held-out captions never shape the model), from up to `standardizationTextLimit` of them.
    static func textStandardization(
        of texts: [String], width: Int, states: (String) throws -> [Float]
    ) throws -> FeatureStandardization {
        var seen = Set<String>()
        let distinct = texts.filter { seen.insert($0).inserted }
        let stride = max(1, (distinct.count + standardizationTextLimit - 1) / standardizationTextLimit)
        let chosen = Swift.stride(from: 0, to: distinct.count, by: stride).map { distinct[$0] }
        // One text's states at a time (8,192 texts' states at once would be about 250 MB).
        var failure: Error?
        let standardization = withoutActuallyEscaping(states) { states in
            FeatureStandardization.estimate(
                from: chosen.lazy.compactMap { text -> [Float]? in
                    do { return try states(text) } catch {
                        failure = failure ?? error
                        return nil
                    }
                },
                width: width)
        }
        if let failure { throw failure }
        guard let standardization else {
            throw TrainingError.missingFeatures(what: "token states of the training texts (none to standardise with)")
        }
        return standardization
    }
}
