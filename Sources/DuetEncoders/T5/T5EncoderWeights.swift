import DuetWeights
import Foundation

/// The parameters of a T5 encoder as flat row-major Float32 arrays, read strictly from a Hugging Face
/// checkpoint by the names of `transformers`' `T5EncoderModel.state_dict()` (`shared.weight`,
/// `encoder.block.N.layer.0.SelfAttention.q.weight`, …, `encoder.final_layer_norm.weight`).
///
/// Linear weights keep the PyTorch layout `[out, in]` and have no biases; the query, key and value
/// projections are concatenated into one `[3 · inner, hidden]` matrix. Only the first block holds the
/// relative-position bias table (`[buckets, heads]`); every block uses it.
///
/// Strictness: every parameter must be present with the configured shape, else
/// `WeightsError.missingKey` / `.shapeMismatch` names it. Beyond them only these are accepted:
/// - `encoder.embed_tokens.weight`, the encoder's copy of the tied `shared.weight` (older and
///   encoder-decoder checkpoints store both), checked to be the same table;
/// - with `ignoringDecoder`, an encoder-decoder checkpoint's `decoder.…` and `lm_head.weight`, which
///   the encoder never reads.
/// Any other name throws `WeightsError.unexpectedKeys` listing it.
public struct T5EncoderWeights: Sendable {
    /// One block: self-attention and feed-forward, each behind its own norm.
    public struct Layer: Sendable {
        public var attentionNormScale: [Float]
        /// `[3 · inner, hidden]`: query rows, then key rows, then value rows.
        public var queryKeyValueWeight: [Float]
        /// `[hidden, inner]`.
        public var attentionOutputWeight: [Float]
        public var feedForwardNormScale: [Float]
        /// `[feedForward, hidden]`: `wi` (ungated) or `wi_0`, the activated half (gated).
        public var inputWeight: [Float]
        /// `[feedForward, hidden]`: `wi_1`, the linear half of a gated layer; empty when ungated.
        public var gateLinearWeight: [Float]
        /// `[hidden, feedForward]`.
        public var outputWeight: [Float]
    }

    /// `[vocabulary, hidden]`.
    public var tokenEmbeddings: [Float]
    /// `[buckets, heads]`.
    public var relativeAttentionBias: [Float]
    public var layers: [Layer]
    public var finalNormScale: [Float]

    public static let sharedEmbeddingName = "shared.weight"
    public static let encoderEmbeddingName = "encoder.embed_tokens.weight"
    /// The names an encoder-decoder checkpoint holds beside the encoder's.
    public static let decoderPrefixes = ["decoder.", "lm_head."]

    /// Reads every parameter of `configuration` from `file`, strictly (see the type's notes).
    public init(file: SafetensorsFile, configuration: T5EncoderConfiguration, ignoringDecoder: Bool = false) throws {
        let hidden = configuration.hiddenSize, inner = configuration.innerSize, feedForward = configuration.feedForwardSize
        var consumed = Set<String>()
        func read(_ name: String, _ shape: [Int]) throws -> [Float] {
            consumed.insert(name)
            return try file.tensor(named: name, expectedShape: shape).storage
        }
        let embeddingShape = [configuration.vocabularySize, hidden]
        tokenEmbeddings = try read(Self.sharedEmbeddingName, embeddingShape)
        if file.shape(of: Self.encoderEmbeddingName) != nil {
            guard try read(Self.encoderEmbeddingName, embeddingShape) == tokenEmbeddings else {
                throw EncoderError.unexpectedBuffer(
                    name: Self.encoderEmbeddingName, path: file.url.path, reason: "differs from \(Self.sharedEmbeddingName); untied encoder embeddings are not supported")
            }
        }
        relativeAttentionBias = try read(
            "encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight", [configuration.relativeBucketCount, configuration.headCount])
        layers = []
        for index in 0..<configuration.layerCount {
            let base = "encoder.block.\(index)."
            let attention = base + "layer.0.SelfAttention."
            let dense = base + "layer.1.DenseReluDense."
            layers.append(Layer(
                attentionNormScale: try read(base + "layer.0.layer_norm.weight", [hidden]),
                queryKeyValueWeight: try read(attention + "q.weight", [inner, hidden])
                    + read(attention + "k.weight", [inner, hidden]) + read(attention + "v.weight", [inner, hidden]),
                attentionOutputWeight: try read(attention + "o.weight", [hidden, inner]),
                feedForwardNormScale: try read(base + "layer.1.layer_norm.weight", [hidden]),
                inputWeight: try read(dense + (configuration.isGated ? "wi_0.weight" : "wi.weight"), [feedForward, hidden]),
                gateLinearWeight: configuration.isGated ? try read(dense + "wi_1.weight", [feedForward, hidden]) : [],
                outputWeight: try read(dense + "wo.weight", [hidden, feedForward])))
        }
        finalNormScale = try read("encoder.final_layer_norm.weight", [hidden])

        let unexpected = file.names.filter { name in
            !consumed.contains(name) && !(ignoringDecoder && Self.decoderPrefixes.contains { name.hasPrefix($0) })
        }
        guard unexpected.isEmpty else { throw WeightsError.unexpectedKeys(names: unexpected, path: file.url.path) }
    }
}
