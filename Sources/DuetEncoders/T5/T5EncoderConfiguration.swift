import Foundation

/// The hyper-parameters of a T5 encoder (Raffel et al. 2020; v1.1 and mT5, Xue et al. 2021), decoded
/// from a checkpoint's own `config.json` with `transformers`' `T5Config` field names (an mT5 or
/// encoder-decoder checkpoint's configuration reads the same way). Absent fields take `T5Config`'s
/// defaults (t5-small: 512 channels, 8 heads of 64, 2048 feed-forward channels, 6 layers, 32
/// buckets up to distance 128, `relu`), since `save_pretrained` writes only the fields that differ.
public struct T5EncoderConfiguration: Decodable, Sendable, Equatable {
    public var vocabularySize: Int
    /// `d_model`.
    public var hiddenSize: Int
    /// `d_kv`: channels per head; `headCount · headSize` need not equal `hiddenSize`.
    public var headSize: Int
    /// `d_ff`.
    public var feedForwardSize: Int
    /// `num_layers` (the encoder's).
    public var layerCount: Int
    public var headCount: Int
    public var relativeBucketCount: Int
    public var relativeMaximumDistance: Int
    public var normEpsilon: Float
    /// The feed-forward nonlinearity from `feed_forward_proj`: `"relu"` (original T5) or
    /// `"gated-gelu"` (v1.1 and mT5, which `T5Config` maps to the tanh approximation `gelu_new`).
    public var activation: EncoderActivation
    /// Whether the feed-forward layer is gated, `act(x W₀ᵀ) ⊙ (x W₁ᵀ)` (`feed_forward_proj` `"gated-…"`).
    public var isGated: Bool

    /// Channels of the attention's inner width, `headCount · headSize`.
    public var innerSize: Int { headCount * headSize }

    enum CodingKeys: String, CodingKey {
        case vocabularySize = "vocab_size", hiddenSize = "d_model", headSize = "d_kv", feedForwardSize = "d_ff"
        case layerCount = "num_layers", headCount = "num_heads", relativeBucketCount = "relative_attention_num_buckets"
        case relativeMaximumDistance = "relative_attention_max_distance", normEpsilon = "layer_norm_epsilon"
        case feedForwardProjection = "feed_forward_proj"
    }

    public init(
        vocabularySize: Int = 32128, hiddenSize: Int = 512, headSize: Int = 64, feedForwardSize: Int = 2048, layerCount: Int = 6,
        headCount: Int = 8, relativeBucketCount: Int = 32, relativeMaximumDistance: Int = 128, normEpsilon: Float = 1e-6,
        activation: EncoderActivation = .relu, isGated: Bool = false
    ) {
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.headSize = headSize
        self.feedForwardSize = feedForwardSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.relativeBucketCount = relativeBucketCount
        self.relativeMaximumDistance = relativeMaximumDistance
        self.normEpsilon = normEpsilon
        self.activation = activation
        self.isGated = isGated
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = T5EncoderConfiguration()
        func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try container.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        vocabularySize = try value(.vocabularySize, defaults.vocabularySize)
        hiddenSize = try value(.hiddenSize, defaults.hiddenSize)
        headSize = try value(.headSize, defaults.headSize)
        feedForwardSize = try value(.feedForwardSize, defaults.feedForwardSize)
        layerCount = try value(.layerCount, defaults.layerCount)
        headCount = try value(.headCount, defaults.headCount)
        relativeBucketCount = try value(.relativeBucketCount, defaults.relativeBucketCount)
        relativeMaximumDistance = try value(.relativeMaximumDistance, defaults.relativeMaximumDistance)
        normEpsilon = try value(.normEpsilon, defaults.normEpsilon)
        let projection = try value(.feedForwardProjection, "relu")
        guard let (activation, isGated) = Self.feedForward(projection) else {
            throw DecodingError.dataCorruptedError(
                forKey: .feedForwardProjection, in: container,
                debugDescription: "feed_forward_proj \"\(projection)\" is not `relu`, `gated-gelu` or another `[gated-]ACT` with ACT one of \(EncoderActivation.allCases.map(\.rawValue))")
        }
        self.activation = activation
        self.isGated = isGated
    }

    /// `T5Config`'s reading of `feed_forward_proj`: `[gated-]ACT`, with `gated-gelu` meaning `gelu_new`.
    static func feedForward(_ projection: String) -> (EncoderActivation, Bool)? {
        let parts = projection.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 1 || (parts.count == 2 && parts[0] == "gated") else { return nil }
        let name = projection == "gated-gelu" ? "gelu_new" : parts[parts.count - 1]
        guard let activation = EncoderActivation(configurationName: name) else { return nil }
        return (activation, parts.count == 2)
    }

    /// Reads and validates `config.json`.
    public init(contentsOf url: URL) throws(EncoderError) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .unreadableConfiguration(model: "T5 encoder", path: url.path, reason: error.localizedDescription)
        }
        do {
            self = try JSONDecoder().decode(T5EncoderConfiguration.self, from: data)
        } catch {
            throw .unsupportedConfiguration(model: "T5 encoder", path: url.path, reason: String(describing: error))
        }
        try validate(path: url.path)
    }

    /// Throws when the sizes cannot describe a network.
    public func validate(path: String) throws(EncoderError) {
        guard vocabularySize > 0, hiddenSize > 0, headSize > 0, feedForwardSize > 0, layerCount > 0, headCount > 0 else {
            throw .unsupportedConfiguration(model: "T5 encoder", path: path, reason: "sizes must be positive")
        }
        guard relativeBucketCount >= 4, relativeMaximumDistance > relativeBucketCount / 4 else {
            throw .unsupportedConfiguration(
                model: "T5 encoder", path: path,
                reason: "relative_attention_num_buckets \(relativeBucketCount) and relative_attention_max_distance \(relativeMaximumDistance) leave no logarithmic buckets")
        }
        guard normEpsilon > 0 else {
            throw .unsupportedConfiguration(model: "T5 encoder", path: path, reason: "layer_norm_epsilon must be positive")
        }
    }
}
