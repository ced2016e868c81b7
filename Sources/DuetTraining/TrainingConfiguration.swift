import DuetData
import DuetModel
import DuetRetrieval
import Foundation

/// Every setting of a training run, with the paper's values as defaults (section 2.1 and 5.1 of
/// *Augment, Drop & Swap*). Read from a JSON file in which any subset of keys may appear; an
/// unknown key is an error, so a typo never silently falls back to a default.
///
/// The model's shape is held as a `ModelConfiguration` (`model`), not copied field by field. The
/// file stays flat, as it always was: the model keys (`embeddingWidth`, `audioEncoder`, ...) sit
/// beside the optimisation and recipe keys, so old configuration files and the configurations saved
/// in checkpoints and training states load unchanged.
public struct TrainingConfiguration: Codable, Sendable, Equatable {
    // Optimisation (paper: InfoNCE at 0.03, AdamW with decoupled weight decay 0.05, cosine decay
    // from a 1e-3 peak after 5 linear warm-up epochs, early stopping on validation loss).
    public var temperature: Float = 0.03
    public var peakLearningRate: Float = 1e-3
    public var weightDecay: Float = 0.05
    public var warmupEpochs: Int = 5
    public var maximumEpochs: Int = 100
    public var batchSize: Int = 256
    public var gradientClipNorm: Float? = 1.0
    public var earlyStoppingPatience: Int = 10
    /// The validation number that picks `best/` and counts epochs without improvement.
    public var checkpointSelection: CheckpointSelection = .validLoss

    // Text recipe: tag-to-caption probability, Augmented View Dropout, TextSwap curriculum.
    public var captionProbability: Double = 0.5
    public var viewCount: Int = 10
    public var useViews: Bool = true
    public var useCaptions: Bool = true
    public var useTextSwap: Bool = true
    public var textSwapWarmupEpochs: Int = 5
    public var textSwapRampEpochs: Int = 20
    public var textSwapMaximumProbability: Double = 0.15

    /// The model to train (DuET-MC projection heads: 2 layers, 2 heads, 256-d, [CLS]). Its feature
    /// widths are the encoders' and are set when the model is built (`modelConfiguration(base:)`).
    public var model = ModelConfiguration()

    /// Standardise the text encoder's token states per channel with statistics of the training
    /// texts (`FeatureStandardization`, stored in the checkpoint). Off by default; multilingual-e5's
    /// states, which share one large offset direction, train much better with it.
    public var standardizeTextStates = false

    /// The key `textSentenceToken`: the text branch also reads the mean of the token states as a first
    /// token (``ModelConfiguration/textSentenceToken``). Off by default; written only when on.
    public var textSentenceToken: Bool {
        get { model.textSentenceToken }
        set { model.textSentenceToken = newValue }
    }

    /// The key `textTokenDropout`: during training each token state of a text is hidden from the text
    /// branch with this probability (``TokenDropout``). 0, the default, drops none; written only when set.
    public var textTokenDropout = 0.0

    /// The key `textAnchorWeight`: the weight of ``TextGeometryAnchor`` (τ 0.05) beside InfoNCE, which
    /// keeps the text branch's neighbourhoods among a batch's texts those of the locked encoder's
    /// sentence embeddings (the mean of its token states). 0, the default, adds nothing; written only when set.
    public var textAnchorWeight = 0.0

    /// The key `weightAverageDecay`: when set (in (0, 1)), validation and the `best` checkpoint use an
    /// exponential moving average of the weights (``WeightAverage``, horizon about 1/(1 − decay)
    /// steps) instead of the last step's. 0, the default, keeps none; written only when set.
    public var weightAverageDecay = 0.0

    public var seed: UInt64 = 0

    // The model keys of the flat file, read and written through `model`.
    /// `musicnn`: locked musicnn features through the layer aggregator (the default);
    /// `scratch`: a small CNN trained from scratch on log-mel (the paper's no-pre-training setting);
    /// `mert`, `htsat`: the paper's audio encoders, locked, read from the folder `audioEncoderWeights` names.
    public var audioEncoder: AudioEncoderKind {
        get { model.audioEncoderKind }
        set { model.audioEncoderSelection.kind = newValue }
    }
    /// The folder of a `mert` or `htsat` audio encoder (`config.json` and `model.safetensors`, MERT's
    /// `preprocessor_config.json` when present; Docs/encoders.md): a path, relative to the working directory
    /// or absolute. Required by those kinds, refused by the others.
    public var audioEncoderWeights: String? {
        get { model.audioEncoderWeights }
        set { model.audioEncoderWeights = newValue }
    }
    /// The fingerprint of that folder's files, written by Duet into the configurations it saves; in a
    /// configuration file it pins the folder (training refuses other files). Usually left out.
    public var audioEncoderWeightsFingerprint: String? {
        get { model.audioEncoderWeightsFingerprint }
        set { model.audioEncoderSelection.weightsFingerprint = newValue }
    }
    /// `minilm`: all-MiniLM-L6-v2 (the default, English); `e5-small`: multilingual-e5-small, so a
    /// model trained on English texts also answers queries in other languages; `clip-text`, `roberta`,
    /// `t5`, `mt5`: the paper's towers, read from the folder `textEncoderWeights` names.
    public var textEncoder: TextEncoderKind {
        get { model.textEncoderKind }
        set { model.textEncoderSelection.kind = newValue }
    }
    /// The folder of a `clip-text`, `roberta`, `t5` or `mt5` text encoder in the `transformers` layout
    /// (`config.json`, `model.safetensors` and the tokenizer's files; `Docs/text-tower.md`): a path,
    /// relative to the working directory or absolute. Required by those kinds, refused by the others.
    public var textEncoderWeights: String? {
        get { model.textEncoderWeights }
        set { model.textEncoderWeights = newValue }
    }
    /// The fingerprint of the folder's files: written by Duet into the configurations it saves (training
    /// states, checkpoints) so that a resumed run reads the same weights; in a configuration file it pins
    /// the folder (training refuses other files). Usually left out.
    public var textEncoderWeightsFingerprint: String? {
        get { model.textEncoderWeightsFingerprint }
        set { model.textEncoderSelection.weightsFingerprint = newValue }
    }
    /// From scratch: output channels of the CNN's 3×3 convolution blocks.
    public var convolutionChannels: [Int] {
        get { model.convolutionChannels }
        set { model.convolutionChannels = newValue }
    }
    public var embeddingWidth: Int {
        get { model.embeddingWidth }
        set { model.embeddingWidth = newValue }
    }
    public var layerCount: Int {
        get { model.layerCount }
        set { model.layerCount = newValue }
    }
    public var headCount: Int {
        get { model.headCount }
        set { model.headCount = newValue }
    }
    public var feedForwardWidth: Int {
        get { model.feedForwardWidth }
        set { model.feedForwardWidth = newValue }
    }
    public var audioTokenCount: Int {
        get { model.audioTokenCount }
        set { model.audioTokenCount = newValue }
    }
    public var dropout: Float {
        get { model.dropout }
        set { model.dropout = newValue }
    }

    public init() {}

    /// The TextSwap probability of training epoch `epoch` (1-based, as the trainer counts; the
    /// curriculum counts from 0): 0 when TextSwap is off, else the paper's curriculum — 0 during
    /// the warm-up epochs, then rising linearly to the maximum over the ramp.
    public func swapProbability(epoch: Int) -> Double {
        guard useTextSwap else { return 0 }
        return SwapCurriculum(
            warmupEpochs: textSwapWarmupEpochs, rampEpochs: textSwapRampEpochs,
            maximumProbability: textSwapMaximumProbability).probability(epoch: epoch - 1)
    }

    /// Which steps of the recipe this configuration trains with, as the evaluation report shows them.
    public var recipe: EvaluationReport.Recipe {
        EvaluationReport.Recipe(
            tagToCaption: useCaptions && captionProbability > 0, viewDropout: useViews, textSwap: useTextSwap)
    }

    /// The model this configuration trains, with the feature widths of `base` (the locked encoders':
    /// musicnn's, MERT's or HTS-AT's layer widths, the log-mel frames and bands, and the text encoder's
    /// hidden size).
    public func modelConfiguration(base: ModelConfiguration = ModelConfiguration()) -> ModelConfiguration {
        var result = model
        result.audioLayerWidths = base.audioLayerWidths
        result.logMelFrameCount = base.logMelFrameCount
        result.logMelBandCount = base.logMelBandCount
        result.textWidth = base.textWidth
        result.audioEncoder = model.audioEncoderSelection.identity
        result.textEncoder = model.textEncoderSelection.identity
        return result
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case temperature, peakLearningRate, weightDecay, warmupEpochs, maximumEpochs, batchSize,
             gradientClipNorm, earlyStoppingPatience, dropout, captionProbability, viewCount, useViews,
             useCaptions, useTextSwap, textSwapWarmupEpochs, textSwapRampEpochs, textSwapMaximumProbability,
             audioEncoder, textEncoder, convolutionChannels, embeddingWidth, layerCount, headCount, feedForwardWidth, audioTokenCount, seed,
             standardizeTextStates, checkpointSelection, textEncoderWeights, textEncoderWeightsFingerprint,
             audioEncoderWeights, audioEncoderWeightsFingerprint, textSentenceToken, textTokenDropout, textAnchorWeight, weightAverageDecay
    }

    public init(from decoder: Decoder) throws {
        self.init()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func read<T: Decodable>(_ key: CodingKeys, into value: inout T) throws {
            if let decoded = try container.decodeIfPresent(T.self, forKey: key) { value = decoded }
        }
        try read(.temperature, into: &temperature)
        try read(.peakLearningRate, into: &peakLearningRate)
        try read(.weightDecay, into: &weightDecay)
        try read(.warmupEpochs, into: &warmupEpochs)
        try read(.maximumEpochs, into: &maximumEpochs)
        try read(.batchSize, into: &batchSize)
        if container.contains(.gradientClipNorm) { gradientClipNorm = try container.decodeIfPresent(Float.self, forKey: .gradientClipNorm) }
        try read(.earlyStoppingPatience, into: &earlyStoppingPatience)
        try read(.dropout, into: &dropout)
        try read(.captionProbability, into: &captionProbability)
        try read(.viewCount, into: &viewCount)
        try read(.useViews, into: &useViews)
        try read(.useCaptions, into: &useCaptions)
        try read(.useTextSwap, into: &useTextSwap)
        try read(.textSwapWarmupEpochs, into: &textSwapWarmupEpochs)
        try read(.textSwapRampEpochs, into: &textSwapRampEpochs)
        try read(.textSwapMaximumProbability, into: &textSwapMaximumProbability)
        var audioEncoder = model.audioEncoderKind
        try read(.audioEncoder, into: &audioEncoder)
        model.audioEncoderWeights = try container.decodeIfPresent(String.self, forKey: .audioEncoderWeights)
        model.audioEncoderWeightsFingerprint = try container.decodeIfPresent(String.self, forKey: .audioEncoderWeightsFingerprint)
        self.audioEncoder = audioEncoder
        var textEncoder = model.textEncoderKind
        try read(.textEncoder, into: &textEncoder)
        model.textEncoderWeights = try container.decodeIfPresent(String.self, forKey: .textEncoderWeights)
        model.textEncoderWeightsFingerprint = try container.decodeIfPresent(String.self, forKey: .textEncoderWeightsFingerprint)
        self.textEncoder = textEncoder
        try read(.convolutionChannels, into: &model.convolutionChannels)
        try read(.embeddingWidth, into: &model.embeddingWidth)
        try read(.layerCount, into: &model.layerCount)
        try read(.headCount, into: &model.headCount)
        try read(.feedForwardWidth, into: &model.feedForwardWidth)
        try read(.audioTokenCount, into: &model.audioTokenCount)
        try read(.seed, into: &seed)
        try read(.standardizeTextStates, into: &standardizeTextStates)
        try read(.checkpointSelection, into: &checkpointSelection)
        try read(.textSentenceToken, into: &model.textSentenceToken)
        try read(.textTokenDropout, into: &textTokenDropout)
        try read(.textAnchorWeight, into: &textAnchorWeight)
        try read(.weightAverageDecay, into: &weightAverageDecay)
    }

    /// Writes the flat file: every key, the model's among them (`gradientClipNorm` as `null` when
    /// clipping is off, so that reading it back keeps it off; the encoders' weights folders and
    /// fingerprints only when set, so musicnn, MiniLM and e5 configurations are written as before).
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(temperature, forKey: .temperature)
        try container.encode(peakLearningRate, forKey: .peakLearningRate)
        try container.encode(weightDecay, forKey: .weightDecay)
        try container.encode(warmupEpochs, forKey: .warmupEpochs)
        try container.encode(maximumEpochs, forKey: .maximumEpochs)
        try container.encode(batchSize, forKey: .batchSize)
        try container.encode(gradientClipNorm, forKey: .gradientClipNorm)
        try container.encode(earlyStoppingPatience, forKey: .earlyStoppingPatience)
        try container.encode(dropout, forKey: .dropout)
        try container.encode(captionProbability, forKey: .captionProbability)
        try container.encode(viewCount, forKey: .viewCount)
        try container.encode(useViews, forKey: .useViews)
        try container.encode(useCaptions, forKey: .useCaptions)
        try container.encode(useTextSwap, forKey: .useTextSwap)
        try container.encode(textSwapWarmupEpochs, forKey: .textSwapWarmupEpochs)
        try container.encode(textSwapRampEpochs, forKey: .textSwapRampEpochs)
        try container.encode(textSwapMaximumProbability, forKey: .textSwapMaximumProbability)
        try container.encode(audioEncoder, forKey: .audioEncoder)
        try container.encodeIfPresent(audioEncoderWeights, forKey: .audioEncoderWeights)
        try container.encodeIfPresent(audioEncoderWeightsFingerprint, forKey: .audioEncoderWeightsFingerprint)
        try container.encode(textEncoder, forKey: .textEncoder)
        try container.encodeIfPresent(textEncoderWeights, forKey: .textEncoderWeights)
        try container.encodeIfPresent(textEncoderWeightsFingerprint, forKey: .textEncoderWeightsFingerprint)
        try container.encode(convolutionChannels, forKey: .convolutionChannels)
        try container.encode(embeddingWidth, forKey: .embeddingWidth)
        try container.encode(layerCount, forKey: .layerCount)
        try container.encode(headCount, forKey: .headCount)
        try container.encode(feedForwardWidth, forKey: .feedForwardWidth)
        try container.encode(audioTokenCount, forKey: .audioTokenCount)
        try container.encode(seed, forKey: .seed)
        try container.encode(standardizeTextStates, forKey: .standardizeTextStates)
        try container.encode(checkpointSelection, forKey: .checkpointSelection)
        if model.textSentenceToken { try container.encode(true, forKey: .textSentenceToken) }
        if textTokenDropout > 0 { try container.encode(textTokenDropout, forKey: .textTokenDropout) }
        if textAnchorWeight > 0 { try container.encode(textAnchorWeight, forKey: .textAnchorWeight) }
        if weightAverageDecay > 0 { try container.encode(weightAverageDecay, forKey: .weightAverageDecay) }
    }

    /// Reads a configuration file, naming the file and the offending key on error.
    public static func load(from url: URL) throws -> TrainingConfiguration {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ConfigurationError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ConfigurationError.invalid(path: url.path, reason: "not a JSON object")
        }
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw ConfigurationError.invalid(path: url.path, reason: "unknown key '\(unknown)'; known keys: \(known.sorted().joined(separator: ", "))")
        }
        let configuration: TrainingConfiguration
        do { configuration = try JSONDecoder().decode(TrainingConfiguration.self, from: data) } catch let DecodingError.typeMismatch(_, context) {
            throw ConfigurationError.invalid(path: url.path, reason: "key '\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type: \(context.debugDescription)")
        } catch let DecodingError.dataCorrupted(context) {
            throw ConfigurationError.invalid(path: url.path, reason: "key '\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription) (audioEncoder is one of \(AudioEncoderKind.allCases.map(\.rawValue).joined(separator: ", ")); textEncoder is one of \(TextEncoderKind.allCases.map(\.rawValue).joined(separator: ", ")); checkpointSelection is one of \(CheckpointSelection.allCases.map(\.rawValue).joined(separator: ", ")))")
        } catch {
            throw ConfigurationError.invalid(path: url.path, reason: error.localizedDescription)
        }
        try configuration.validate(path: url.path)
        return configuration
    }

    /// Rejects values that cannot train.
    public func validate(path: String = "configuration") throws {
        func check(_ condition: Bool, _ reason: String) throws {
            if !condition { throw ConfigurationError.invalid(path: path, reason: reason) }
        }
        try check(temperature > 0, "temperature must be positive")
        try check(peakLearningRate > 0, "peakLearningRate must be positive")
        try check(weightDecay >= 0, "weightDecay must not be negative")
        try check(warmupEpochs >= 0 && maximumEpochs >= 1, "warmupEpochs >= 0 and maximumEpochs >= 1")
        try check(batchSize >= 2, "batchSize must be at least 2 for a contrastive loss")
        try check((0...1).contains(captionProbability), "captionProbability must lie in [0, 1]")
        try check((0...1).contains(textSwapMaximumProbability), "textSwapMaximumProbability must lie in [0, 1]")
        try check(viewCount >= 1, "viewCount must be at least 1")
        try check(embeddingWidth % headCount == 0, "embeddingWidth must be divisible by headCount")
        try check((0..<1).contains(dropout), "dropout must lie in [0, 1)")
        try check((0..<1).contains(textTokenDropout), "textTokenDropout must lie in [0, 1)")
        try check(textAnchorWeight >= 0 && textAnchorWeight.isFinite, "textAnchorWeight must be a finite number >= 0")
        try check((0..<1).contains(weightAverageDecay), "weightAverageDecay must lie in [0, 1) (0: no average)")
        // Every block halves the log-mel bands (96: at most 6 blocks, ⌊log₂ 96⌋).
        let maximumBlocks = Int.bitWidth - 1 - max(1, model.logMelBandCount).leadingZeroBitCount
        try check((1...maximumBlocks).contains(convolutionChannels.count) && convolutionChannels.allSatisfy { $0 >= 1 },
                  "convolutionChannels must list 1 to \(maximumBlocks) positive channel counts")
        try check(audioTokenCount >= 1 && earlyStoppingPatience >= 1, "audioTokenCount and earlyStoppingPatience must be positive")
        let folderKinds = TextEncoderKind.allCases.filter(\.readsWeightsFolder).map(\.rawValue).joined(separator: ", ")
        if textEncoder.readsWeightsFolder {
            try check(textEncoderWeights.map { !$0.isEmpty } ?? false,
                      "textEncoder '\(textEncoder.rawValue)' reads its weights from a folder: set textEncoderWeights to the folder holding config.json, model.safetensors and the tokenizer files (Docs/text-tower.md)")
        } else {
            try check(textEncoderWeights == nil && textEncoderWeightsFingerprint == nil,
                      "textEncoderWeights applies to the text encoders read from a folder (\(folderKinds)), not to '\(textEncoder.rawValue)', which comes from the model cache")
        }
        let audioFolderKinds = AudioEncoderKind.allCases.filter(\.readsWeightsFolder).map(\.rawValue).joined(separator: ", ")
        if audioEncoder.readsWeightsFolder {
            try check(audioEncoderWeights.map { !$0.isEmpty } ?? false,
                      "audioEncoder '\(audioEncoder.rawValue)' reads its weights from a folder: set audioEncoderWeights to the folder holding config.json and model.safetensors (Docs/encoders.md)")
        } else {
            try check(audioEncoderWeights == nil && audioEncoderWeightsFingerprint == nil,
                      "audioEncoderWeights applies to the audio encoders read from a folder (\(audioFolderKinds)), not to '\(audioEncoder.rawValue)'")
        }
    }
}

/// A configuration file that cannot be used.
public enum ConfigurationError: LocalizedError, Equatable {
    case unreadable(path: String, reason: String)
    case invalid(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .unreadable(let path, let reason): "cannot read configuration \(path): \(reason)"
        case .invalid(let path, let reason): "\(path): \(reason)"
        }
    }
}
