import DuetTensor
import DuetWeights
import Foundation

/// The parameters of a BERT encoder as flat row-major Float32 arrays, read strictly from a
/// Hugging Face checkpoint (names as in `transformers`' `BertModel.state_dict()`).
///
/// Linear weights keep the PyTorch layout `[out, in]`; the query, key and value projections are
/// concatenated into one `[3 * hidden, hidden]` matrix so a layer makes one projection call.
///
/// Strictness: every parameter must be present with the configured shape; beyond them only two
/// known extras are accepted, each handled explicitly —
/// - `embeddings.position_ids` is a buffer (`arange(max_position_embeddings)`, shape `[1, P]`);
///   it is checked to hold exactly `0, 1, ..., P - 1` and then not needed, because positions are
///   always `0..<length` for right-padded single sentences;
/// - `pooler.dense.weight` / `pooler.dense.bias` feed BERT's `[CLS]` pooler, which
///   sentence-transformers does not use (it mean-pools); they are shape-checked and kept in
///   ``pooler`` (CLAP's text branch projects the pooled output).
/// - with `ignoringTaskHead`, the pre-training head of a checkpoint saved from a task model
///   (``taskHeadPrefixes``: roberta-base's `lm_head.…`, bert-base's `cls.…`), which the encoder never reads.
/// - with `ignoringOtherBranches`, every name outside `prefix` (a CLAP checkpoint's audio branch and
///   projections beside its `text_branch.`).
/// Any other name throws `WeightsError.unexpectedKeys` listing it.
public struct BertWeights: Sendable {
    /// The `[CLS]` pooler, `tanh(h₀ Wᵀ + b)`: `weight` `[hidden, hidden]`, `bias` `[hidden]`.
    public struct Pooler: Sendable {
        public var weight: [Float]
        public var bias: [Float]
    }

    /// One post-norm encoder layer.
    public struct Layer: Sendable {
        /// `[3 * hidden, hidden]`: query rows, then key rows, then value rows.
        public var queryKeyValueWeight: [Float]
        /// `[3 * hidden]`.
        public var queryKeyValueBias: [Float]
        /// `[hidden, hidden]`.
        public var attentionOutputWeight: [Float]
        public var attentionOutputBias: [Float]
        public var attentionNormScale: [Float]
        public var attentionNormShift: [Float]
        /// `[intermediate, hidden]`.
        public var intermediateWeight: [Float]
        public var intermediateBias: [Float]
        /// `[hidden, intermediate]`.
        public var outputWeight: [Float]
        public var outputBias: [Float]
        public var outputNormScale: [Float]
        public var outputNormShift: [Float]
    }

    /// `[vocabulary, hidden]`; empty when ``packedWordEmbeddings`` holds the table.
    public var wordEmbeddings: [Float]
    /// The word embeddings kept in 4-bit blocks (multilingual-e5-small: 250,037 rows would take
    /// 384 MB as Float32); rows are dequantised when looked up, exactly.
    public var packedWordEmbeddings: Q4BlockMatrix? = nil
    /// `[maximumPositions, hidden]`.
    public var positionEmbeddings: [Float]
    /// `[tokenTypes, hidden]`.
    public var tokenTypeEmbeddings: [Float]
    public var embeddingNormScale: [Float]
    public var embeddingNormShift: [Float]
    public var layers: [Layer]
    /// The pooler when the checkpoint holds one (`BertModel`/`RobertaModel` saved with `add_pooling_layer`).
    public var pooler: Pooler? = nil

    /// Names of the buffers and unused parameters that loading accepts and handles explicitly.
    public static let positionIdentifiersName = "embeddings.position_ids"
    public static let poolerNames = ["pooler.dense.weight", "pooler.dense.bias"]
    /// The prefixes under which task models (`RobertaForMaskedLM`, `BertForPreTraining`, …) store the encoder.
    public static let taskModelPrefixes = ["roberta.", "bert."]
    /// The names of the pre-training heads that task-model checkpoints hold beside the encoder.
    public static let taskHeadPrefixes = ["lm_head.", "cls."]

    /// The prefix of the encoder's names in `file`: empty for a bare encoder (all-MiniLM-L6-v2,
    /// `RobertaModel.save_pretrained`), else the first of ``taskModelPrefixes`` under which the word
    /// embeddings are stored (roberta-base's `roberta.`); empty when none is found, so that loading
    /// then names the missing bare key.
    public static func checkpointPrefix(in file: SafetensorsFile) -> String {
        let embeddings = "embeddings.word_embeddings.weight"
        if file.shape(of: embeddings) != nil { return "" }
        return taskModelPrefixes.first { file.shape(of: $0 + embeddings) != nil } ?? ""
    }

    /// Weights from arrays already read (the shapes of ``BertConfiguration`` are the caller's to keep).
    public init(
        wordEmbeddings: [Float], packedWordEmbeddings: Q4BlockMatrix? = nil, positionEmbeddings: [Float],
        tokenTypeEmbeddings: [Float], embeddingNormScale: [Float], embeddingNormShift: [Float], layers: [Layer]
    ) {
        self.wordEmbeddings = wordEmbeddings
        self.packedWordEmbeddings = packedWordEmbeddings
        self.positionEmbeddings = positionEmbeddings
        self.tokenTypeEmbeddings = tokenTypeEmbeddings
        self.embeddingNormScale = embeddingNormScale
        self.embeddingNormShift = embeddingNormShift
        self.layers = layers
    }

    /// Reads every parameter of `configuration` from `file`, strictly (see the type's notes).
    /// - Parameters:
    ///   - prefix: prepended to every name (e.g. `"roberta."` for checkpoints saved from a task model,
    ///     see ``checkpointPrefix(in:)``); empty for all-MiniLM-L6-v2.
    ///   - ignoringTaskHead: accept and drop the names under ``taskHeadPrefixes``.
    ///   - ignoringOtherBranches: skip every name that does not start with `prefix`.
    public init(
        file: SafetensorsFile, configuration: BertConfiguration, prefix: String = "", ignoringTaskHead: Bool = false,
        ignoringOtherBranches: Bool = false
    ) throws {
        let hidden = configuration.hiddenSize
        var consumed = Set<String>()
        func read(_ name: String, _ shape: [Int]) throws -> [Float] {
            consumed.insert(prefix + name)
            return try file.tensor(named: prefix + name, expectedShape: shape).storage
        }
        wordEmbeddings = try read("embeddings.word_embeddings.weight", [configuration.vocabularySize, hidden])
        positionEmbeddings = try read("embeddings.position_embeddings.weight", [configuration.maximumPositions, hidden])
        tokenTypeEmbeddings = try read("embeddings.token_type_embeddings.weight", [configuration.tokenTypeCount, hidden])
        embeddingNormScale = try read("embeddings.LayerNorm.weight", [hidden])
        embeddingNormShift = try read("embeddings.LayerNorm.bias", [hidden])
        layers = []
        for index in 0..<configuration.layerCount {
            let base = "encoder.layer.\(index)."
            let intermediate = configuration.intermediateSize
            let query = try read(base + "attention.self.query.weight", [hidden, hidden])
            let key = try read(base + "attention.self.key.weight", [hidden, hidden])
            let value = try read(base + "attention.self.value.weight", [hidden, hidden])
            let queryBias = try read(base + "attention.self.query.bias", [hidden])
            let keyBias = try read(base + "attention.self.key.bias", [hidden])
            let valueBias = try read(base + "attention.self.value.bias", [hidden])
            layers.append(Layer(
                queryKeyValueWeight: query + key + value,
                queryKeyValueBias: queryBias + keyBias + valueBias,
                attentionOutputWeight: try read(base + "attention.output.dense.weight", [hidden, hidden]),
                attentionOutputBias: try read(base + "attention.output.dense.bias", [hidden]),
                attentionNormScale: try read(base + "attention.output.LayerNorm.weight", [hidden]),
                attentionNormShift: try read(base + "attention.output.LayerNorm.bias", [hidden]),
                intermediateWeight: try read(base + "intermediate.dense.weight", [intermediate, hidden]),
                intermediateBias: try read(base + "intermediate.dense.bias", [intermediate]),
                outputWeight: try read(base + "output.dense.weight", [hidden, intermediate]),
                outputBias: try read(base + "output.dense.bias", [hidden]),
                outputNormScale: try read(base + "output.LayerNorm.weight", [hidden]),
                outputNormShift: try read(base + "output.LayerNorm.bias", [hidden])))
        }

        let positionName = prefix + Self.positionIdentifiersName
        if let shape = file.shape(of: positionName) {
            guard shape.reduce(1, *) == configuration.maximumPositions, shape.last == configuration.maximumPositions else {
                throw WeightsError.shapeMismatch(name: positionName, expected: [1, configuration.maximumPositions], found: shape, path: file.url.path)
            }
            let positions = try file.tensor(named: positionName).storage
            guard positions.enumerated().allSatisfy({ Float($0.offset) == $0.element }) else {
                throw BertError.unexpectedBuffer(name: positionName, path: file.url.path, reason: "does not hold 0, 1, ..., \(configuration.maximumPositions - 1); custom position ids are not supported")
            }
            consumed.insert(positionName)
        }
        if Self.poolerNames.contains(where: { file.shape(of: prefix + $0) != nil }) {
            pooler = Pooler(weight: try read(Self.poolerNames[0], [hidden, hidden]), bias: try read(Self.poolerNames[1], [hidden]))
        }
        let unexpected = file.names.filter { name in
            !consumed.contains(name) && !(ignoringTaskHead && Self.taskHeadPrefixes.contains { name.hasPrefix($0) })
                && !(ignoringOtherBranches && !name.hasPrefix(prefix))
        }
        guard unexpected.isEmpty else { throw WeightsError.unexpectedKeys(names: unexpected, path: file.url.path) }
    }
}
