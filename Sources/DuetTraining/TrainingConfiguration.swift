import DuetData
import DuetModel
import DuetRetrieval
import Foundation

/// Every setting of a training run, with the paper's values as defaults (section 2.1 and 5.1 of
/// *Augment, Drop & Swap*). Read from a JSON file in which any subset of keys may appear; an
/// unknown key is an error, so a typo never silently falls back to a default.
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
    public var dropout: Float = 0.1

    // Text recipe: tag-to-caption probability, Augmented View Dropout, TextSwap curriculum.
    public var captionProbability: Double = 0.5
    public var viewCount: Int = 10
    public var useViews: Bool = true
    public var useCaptions: Bool = true
    public var useTextSwap: Bool = true
    public var textSwapWarmupEpochs: Int = 5
    public var textSwapRampEpochs: Int = 20
    public var textSwapMaximumProbability: Double = 0.15

    // Model size (DuET-MC projection heads: 2 layers, 2 heads, 256-d, [CLS]).
    /// `musicnn`: locked musicnn features through the layer aggregator (the default);
    /// `scratch`: a small CNN trained from scratch on log-mel (the paper's no-pre-training setting).
    public var audioEncoder: AudioEncoderKind = .musicnn
    /// `minilm`: all-MiniLM-L6-v2 (the default, English); `e5-small`: multilingual-e5-small, so a
    /// model trained on English texts also answers queries in other languages.
    public var textEncoder: TextEncoderKind = .miniLM
    /// From scratch: output channels of the CNN's 3×3 convolution blocks.
    public var convolutionChannels = [16, 32, 64, 128]
    public var embeddingWidth: Int = 256
    public var layerCount: Int = 2
    public var headCount: Int = 2
    public var feedForwardWidth: Int = 1024
    public var audioTokenCount: Int = 40

    public var seed: UInt64 = 0

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

    /// The model shape this configuration asks for, on top of `base` (which supplies the feature
    /// widths; the text width must be the chosen text encoder's hidden size).
    public func modelConfiguration(base: ModelConfiguration = ModelConfiguration()) -> ModelConfiguration {
        var model = base
        model.embeddingWidth = embeddingWidth
        model.layerCount = layerCount
        model.headCount = headCount
        model.feedForwardWidth = feedForwardWidth
        model.dropout = dropout
        model.audioTokenCount = audioTokenCount
        model.audioEncoderKind = audioEncoder
        model.convolutionChannels = convolutionChannels
        model.audioEncoder = audioEncoder == .musicnn ? .musicnn : .logMel
        model.textEncoderKind = textEncoder
        model.textEncoder = textEncoder.identity
        return model
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case temperature, peakLearningRate, weightDecay, warmupEpochs, maximumEpochs, batchSize,
             gradientClipNorm, earlyStoppingPatience, dropout, captionProbability, viewCount, useViews,
             useCaptions, useTextSwap, textSwapWarmupEpochs, textSwapRampEpochs, textSwapMaximumProbability,
             audioEncoder, textEncoder, convolutionChannels, embeddingWidth, layerCount, headCount, feedForwardWidth, audioTokenCount, seed
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
        try read(.audioEncoder, into: &audioEncoder)
        try read(.textEncoder, into: &textEncoder)
        try read(.convolutionChannels, into: &convolutionChannels)
        try read(.embeddingWidth, into: &embeddingWidth)
        try read(.layerCount, into: &layerCount)
        try read(.headCount, into: &headCount)
        try read(.feedForwardWidth, into: &feedForwardWidth)
        try read(.audioTokenCount, into: &audioTokenCount)
        try read(.seed, into: &seed)
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
            throw ConfigurationError.invalid(path: url.path, reason: "key '\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription) (audioEncoder is one of \(AudioEncoderKind.allCases.map(\.rawValue).joined(separator: ", ")); textEncoder is one of \(TextEncoderKind.allCases.map(\.rawValue).joined(separator: ", ")))")
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
        // Every block halves the 96 log-mel bands, so at most 6 blocks fit.
        try check((1...6).contains(convolutionChannels.count) && convolutionChannels.allSatisfy { $0 >= 1 },
                  "convolutionChannels must list 1 to 6 positive channel counts")
        try check(audioTokenCount >= 1 && earlyStoppingPatience >= 1, "audioTokenCount and earlyStoppingPatience must be positive")
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
