import Foundation

/// The hyper-parameters of CLIP's text transformer (Radford et al. 2021), decoded from a checkpoint's
/// own `config.json` with `transformers`' `CLIPTextConfig` field names: either a text tower's
/// configuration (`CLIPTextModelWithProjection`) or a whole CLIP model's, whose `text_config` holds
/// them and whose `projection_dim` sizes the projection. Absent fields take `CLIPTextConfig`'s
/// defaults (`save_pretrained` writes only the fields that differ from them), which are ViT-B/32's
/// text tower: 12 layers, 512 channels, 8 heads, 2048 intermediate channels, 77 positions,
/// vocabulary 49408, projection 512, `quick_gelu`.
public struct ClipTextConfiguration: Decodable, Sendable, Equatable {
    public var vocabularySize: Int
    public var hiddenSize: Int
    public var intermediateSize: Int
    /// Width of the projected pooled embedding (`text_projection`, no bias).
    public var projectionSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var maximumPositions: Int
    public var activation: EncoderActivation
    public var layerNormEpsilon: Float
    /// `eos_token_id`. The pooled state is the first position holding it, except when it is 2: the
    /// legacy configurations (openai/clip-vit-*) carry 2 there, and the pooled position is then the
    /// position of the largest id (the real end-of-text id 49407 is the vocabulary's last), as
    /// `CLIPTextTransformer.forward` does in `transformers`.
    public var endOfTextIdentifier: Int

    /// Whether `config.json` described a whole CLIP model (`text_config` nested), whose checkpoint also
    /// holds the vision tower.
    public var describesWholeModel = false

    /// Whether the pooled position is the largest id's (see ``endOfTextIdentifier``).
    public var poolsAtLargestIdentifier: Bool { endOfTextIdentifier == 2 }

    /// Channels per attention head.
    public var headSize: Int { hiddenSize / headCount }

    enum CodingKeys: String, CodingKey {
        case vocabularySize = "vocab_size", hiddenSize = "hidden_size", intermediateSize = "intermediate_size"
        case projectionSize = "projection_dim", layerCount = "num_hidden_layers", headCount = "num_attention_heads"
        case maximumPositions = "max_position_embeddings", activation = "hidden_act", layerNormEpsilon = "layer_norm_eps"
        case endOfTextIdentifier = "eos_token_id", textConfiguration = "text_config"
    }

    public init(
        vocabularySize: Int = 49408, hiddenSize: Int = 512, intermediateSize: Int = 2048, projectionSize: Int = 512,
        layerCount: Int = 12, headCount: Int = 8, maximumPositions: Int = 77, activation: EncoderActivation = .quickGELU,
        layerNormEpsilon: Float = 1e-5, endOfTextIdentifier: Int = 49407
    ) {
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.projectionSize = projectionSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.maximumPositions = maximumPositions
        self.activation = activation
        self.layerNormEpsilon = layerNormEpsilon
        self.endOfTextIdentifier = endOfTextIdentifier
    }

    public init(from decoder: any Decoder) throws {
        let outer = try decoder.container(keyedBy: CodingKeys.self)
        // A whole CLIP model's configuration: the text tower's fields are nested, the projection width is outside.
        let container = outer.contains(.textConfiguration)
            ? try outer.nestedContainer(keyedBy: CodingKeys.self, forKey: .textConfiguration) : outer
        describesWholeModel = outer.contains(.textConfiguration)
        let defaults = ClipTextConfiguration()
        func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try container.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        vocabularySize = try value(.vocabularySize, defaults.vocabularySize)
        hiddenSize = try value(.hiddenSize, defaults.hiddenSize)
        intermediateSize = try value(.intermediateSize, defaults.intermediateSize)
        projectionSize = try outer.decodeIfPresent(Int.self, forKey: .projectionSize)
            ?? value(.projectionSize, defaults.projectionSize)
        layerCount = try value(.layerCount, defaults.layerCount)
        headCount = try value(.headCount, defaults.headCount)
        maximumPositions = try value(.maximumPositions, defaults.maximumPositions)
        let activationName = try value(.activation, defaults.activation.rawValue)
        guard let activation = EncoderActivation(configurationName: activationName) else {
            throw DecodingError.dataCorruptedError(
                forKey: .activation, in: container,
                debugDescription: "hidden_act \"\(activationName)\" is not one of \(EncoderActivation.allCases.map(\.rawValue))")
        }
        self.activation = activation
        layerNormEpsilon = try value(.layerNormEpsilon, defaults.layerNormEpsilon)
        endOfTextIdentifier = try value(.endOfTextIdentifier, defaults.endOfTextIdentifier)
    }

    /// Reads and validates `config.json`.
    public init(contentsOf url: URL) throws(EncoderError) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .unreadableConfiguration(model: "CLIP text", path: url.path, reason: error.localizedDescription)
        }
        do {
            self = try JSONDecoder().decode(ClipTextConfiguration.self, from: data)
        } catch {
            throw .unsupportedConfiguration(model: "CLIP text", path: url.path, reason: String(describing: error))
        }
        try validate(path: url.path)
    }

    /// Throws when the sizes cannot describe a network.
    public func validate(path: String) throws(EncoderError) {
        guard hiddenSize > 0, headCount > 0, hiddenSize % headCount == 0 else {
            throw .unsupportedConfiguration(model: "CLIP text", path: path, reason: "hidden_size \(hiddenSize) is not a positive multiple of num_attention_heads \(headCount)")
        }
        guard vocabularySize > 0, intermediateSize > 0, projectionSize > 0, layerCount > 0, maximumPositions > 0 else {
            throw .unsupportedConfiguration(model: "CLIP text", path: path, reason: "sizes must be positive")
        }
        guard layerNormEpsilon > 0 else {
            throw .unsupportedConfiguration(model: "CLIP text", path: path, reason: "layer_norm_eps must be positive")
        }
    }
}
