import DuetWeights
import Foundation

/// The parameters of CLIP's text tower as flat row-major Float32 arrays, read strictly from a
/// Hugging Face checkpoint by the names of `transformers`' `CLIPTextModelWithProjection.state_dict()`
/// (`text_model.embeddings.token_embedding.weight`, `text_model.encoder.layers.N.self_attn.q_proj.weight`,
/// …, `text_model.final_layer_norm.weight`, `text_projection.weight`).
///
/// Linear weights keep the PyTorch layout `[out, in]`; the query, key and value projections are
/// concatenated into one `[3 · hidden, hidden]` matrix so a layer makes one projection call.
///
/// Strictness: every parameter must be present with the configured shape, else
/// `WeightsError.missingKey` / `.shapeMismatch` names it. Beyond them only these are accepted:
/// - `text_model.embeddings.position_ids` (a buffer older checkpoints store, `arange(P)` as `[1, P]`),
///   checked to be the identity and then not needed;
/// - with `ignoringVisionTower`, a whole CLIP model's other parameters (`vision_model.…`,
///   `visual_projection.weight`, `logit_scale`), which the text tower never reads.
/// Any other name throws `WeightsError.unexpectedKeys` listing it.
public struct ClipTextWeights: Sendable {
    /// One pre-norm layer.
    public typealias Layer = PreNormLayerWeights

    /// `[vocabulary, hidden]`.
    public var tokenEmbeddings: [Float]
    /// `[maximumPositions, hidden]`.
    public var positionEmbeddings: [Float]
    public var layers: [Layer]
    public var finalNormScale: [Float]
    public var finalNormShift: [Float]
    /// `[projection, hidden]`.
    public var projection: [Float]

    /// The names a whole CLIP checkpoint holds beside the text tower's.
    public static let visionTowerPrefixes = ["vision_model.", "visual_projection.", "logit_scale"]
    public static let positionIdentifiersName = "text_model.embeddings.position_ids"

    /// Reads every parameter of `configuration` from `file`, strictly (see the type's notes).
    public init(file: SafetensorsFile, configuration: ClipTextConfiguration, ignoringVisionTower: Bool = false) throws {
        let hidden = configuration.hiddenSize, intermediate = configuration.intermediateSize
        var consumed = Set<String>()
        func read(_ name: String, _ shape: [Int]) throws -> [Float] {
            consumed.insert(name)
            return try file.tensor(named: name, expectedShape: shape).storage
        }
        tokenEmbeddings = try read("text_model.embeddings.token_embedding.weight", [configuration.vocabularySize, hidden])
        positionEmbeddings = try read("text_model.embeddings.position_embedding.weight", [configuration.maximumPositions, hidden])
        layers = []
        for index in 0..<configuration.layerCount {
            let base = "text_model.encoder.layers.\(index)."
            let attention = base + "self_attn."
            layers.append(Layer(
                firstNormScale: try read(base + "layer_norm1.weight", [hidden]),
                firstNormShift: try read(base + "layer_norm1.bias", [hidden]),
                queryKeyValueWeight: try read(attention + "q_proj.weight", [hidden, hidden])
                    + read(attention + "k_proj.weight", [hidden, hidden]) + read(attention + "v_proj.weight", [hidden, hidden]),
                queryKeyValueBias: try read(attention + "q_proj.bias", [hidden])
                    + read(attention + "k_proj.bias", [hidden]) + read(attention + "v_proj.bias", [hidden]),
                attentionOutputWeight: try read(attention + "out_proj.weight", [hidden, hidden]),
                attentionOutputBias: try read(attention + "out_proj.bias", [hidden]),
                secondNormScale: try read(base + "layer_norm2.weight", [hidden]),
                secondNormShift: try read(base + "layer_norm2.bias", [hidden]),
                intermediateWeight: try read(base + "mlp.fc1.weight", [intermediate, hidden]),
                intermediateBias: try read(base + "mlp.fc1.bias", [intermediate]),
                outputWeight: try read(base + "mlp.fc2.weight", [hidden, intermediate]),
                outputBias: try read(base + "mlp.fc2.bias", [hidden])))
        }
        finalNormScale = try read("text_model.final_layer_norm.weight", [hidden])
        finalNormShift = try read("text_model.final_layer_norm.bias", [hidden])
        projection = try read("text_projection.weight", [configuration.projectionSize, hidden])

        let positionName = Self.positionIdentifiersName
        if let shape = file.shape(of: positionName) {
            guard shape == [1, configuration.maximumPositions] || shape == [configuration.maximumPositions] else {
                throw WeightsError.shapeMismatch(name: positionName, expected: [1, configuration.maximumPositions], found: shape, path: file.url.path)
            }
            let positions = try file.tensor(named: positionName).storage
            guard positions.enumerated().allSatisfy({ Float($0.offset) == $0.element }) else {
                throw EncoderError.unexpectedBuffer(name: positionName, path: file.url.path, reason: "does not hold 0, 1, ..., \(configuration.maximumPositions - 1); custom position ids are not supported")
            }
            consumed.insert(positionName)
        }
        let unexpected = file.names.filter { name in
            !consumed.contains(name) && !(ignoringVisionTower && Self.visionTowerPrefixes.contains { name.hasPrefix($0) })
        }
        guard unexpected.isEmpty else { throw WeightsError.unexpectedKeys(names: unexpected, path: file.url.path) }
    }
}
