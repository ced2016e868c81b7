import DuetWeights
import Foundation

/// The parameters of a MERT-v1 / HuBERT encoder as flat row-major Float32 arrays, read strictly from
/// a checkpoint by the names of `transformers`' `HubertModel.state_dict()`, which MERT's released
/// checkpoints use (`feature_extractor.conv_layers.0.conv.weight`, `encoder.layers.3.attention.q_proj.weight`, …).
///
/// Layouts are rearranged once here for the kernels of ``MertModel``:
/// - a feature-encoder convolution's PyTorch weight `[out, in, kernel]` is stored tap-major,
///   `[kernel, out, in]`, so each tap is one `[out, in]` matrix (``MertFeatureEncoder``);
/// - the positional convolution's weight is folded from its weight norm (below) and stored per
///   group as `[groupSize, kernel · groupSize]`, tap-major along the row (``MertPositionalConvolution``);
/// - the query, key and value projections are concatenated into one `[3 · hidden, hidden]` matrix.
///
/// **Weight norm.** The positional convolution is weight-normed along the kernel axis (`dim=2`):
/// `weight[o, i, k] = g[k] · v[o, i, k] / ‖v[:, :, k]‖`. Checkpoints store `g` `[1, 1, kernel]` and `v`
/// `[hidden, hidden / groups, kernel]` as `encoder.pos_conv_embed.conv.weight_g` / `weight_v`
/// (`torch.nn.utils.weight_norm`, the released MERT files, transformers 4) or as
/// `encoder.pos_conv_embed.conv.parametrizations.weight.original0` / `original1`
/// (`torch.nn.utils.parametrizations.weight_norm`, what transformers 5 writes); both are accepted, as
/// is an already folded `encoder.pos_conv_embed.conv.weight`, but exactly one of the three forms. The
/// norm is computed in Float64, then the product rounded once to Float32.
///
/// Strictness: every parameter must be present with the configured shape, else
/// `WeightsError.missingKey` / `.shapeMismatch` names it. Beyond them only `masked_spec_embed`
/// (`[hidden]`, the SpecAugment mask vector, used in pre-training only) is accepted and dropped. Any
/// other name throws `WeightsError.unexpectedKeys` listing it.
public struct MertWeights: Sendable {
    /// One feature-encoder convolution with its norm.
    public struct Convolution: Sendable {
        /// `[kernel, out, in]`.
        public var weight: [Float]
        /// `[out]`, when the configuration has `conv_bias`.
        public var bias: [Float]?
        /// The norm's scale and shift `[out]`: the first layer's group norm, or every layer's layer norm.
        public var normScale: [Float]?
        public var normShift: [Float]?
    }

    /// One encoder layer: the parameters of a BERT layer, under HuBERT's names. The same parameters
    /// serve both orders: `attentionNorm*` is `layer_norm` (after the attention's residual in post-norm,
    /// before the attention in pre-norm) and `outputNorm*` is `final_layer_norm` (after the feed-forward
    /// residual, or before the feed-forward).
    public typealias Layer = BertWeights.Layer

    public var convolutions: [Convolution]
    /// `[last convolution's channels]`, when the configuration has `feat_proj_layer_norm`.
    public var projectionNormScale: [Float]?
    public var projectionNormShift: [Float]?
    /// `[hidden, last convolution's channels]`.
    public var projectionWeight: [Float]
    public var projectionBias: [Float]
    /// Per group `[groupSize, kernel · groupSize]`, groups one after another (see the type's notes).
    public var positionWeight: [Float]
    public var positionBias: [Float]
    /// `encoder.layer_norm`: of the embeddings (post-norm) or of the last layer's output (pre-norm).
    public var encoderNormScale: [Float]
    public var encoderNormShift: [Float]
    public var layers: [Layer]

    /// The names beside the network's parameters that a checkpoint may hold and Duet drops.
    public static let ignoredNames = ["masked_spec_embed"]
    static let positionPrefix = "encoder.pos_conv_embed.conv."
    /// The three ways a checkpoint stores the positional convolution's weight: (g, v) pairs, or folded.
    public static let positionWeightNames = [
        ("weight_g", "weight_v"), ("parametrizations.weight.original0", "parametrizations.weight.original1"),
    ].map { (positionPrefix + $0.0, positionPrefix + $0.1) }
    public static let foldedPositionWeightName = positionPrefix + "weight"
}

extension MertWeights {
    /// Reads every parameter of `configuration` from `file`, strictly (see the type's notes).
    public init(file: SafetensorsFile, configuration: MertConfiguration) throws {
        let hidden = configuration.hiddenSize, intermediate = configuration.intermediateSize
        var consumed = Set<String>()
        func read(_ name: String, _ shape: [Int]) throws -> [Float] {
            consumed.insert(name)
            return try file.tensor(named: name, expectedShape: shape).storage
        }

        convolutions = []
        var inputs = 1
        for (index, outputs) in configuration.convolutionChannels.enumerated() {
            let base = "feature_extractor.conv_layers.\(index)."
            let kernel = configuration.convolutionKernels[index]
            let torchWeight = try read(base + "conv.weight", [outputs, inputs, kernel])
            var weight = [Float](repeating: 0, count: torchWeight.count)
            for output in 0..<outputs {
                for input in 0..<inputs {
                    for tap in 0..<kernel {
                        weight[(tap * outputs + output) * inputs + input] = torchWeight[(output * inputs + input) * kernel + tap]
                    }
                }
            }
            let normed = configuration.featureEncoderNorm == .layer || index == 0
            convolutions.append(Convolution(
                weight: weight,
                bias: configuration.convolutionBias ? try read(base + "conv.bias", [outputs]) : nil,
                normScale: normed ? try read(base + "layer_norm.weight", [outputs]) : nil,
                normShift: normed ? try read(base + "layer_norm.bias", [outputs]) : nil))
            inputs = outputs
        }
        if configuration.featureProjectionNorm {
            projectionNormScale = try read("feature_projection.layer_norm.weight", [inputs])
            projectionNormShift = try read("feature_projection.layer_norm.bias", [inputs])
        }
        projectionWeight = try read("feature_projection.projection.weight", [hidden, inputs])
        projectionBias = try read("feature_projection.projection.bias", [hidden])

        let kernel = configuration.positionKernel, groupSize = configuration.positionGroupSize
        let torchPosition = try Self.positionWeight(file: file, hidden: hidden, groupSize: groupSize, kernel: kernel, consumed: &consumed)
        var positionWeight = [Float](repeating: 0, count: torchPosition.count)
        for output in 0..<hidden {
            let group = output / groupSize, row = output % groupSize
            for input in 0..<groupSize {
                for tap in 0..<kernel {
                    positionWeight[(group * groupSize + row) * kernel * groupSize + tap * groupSize + input] =
                        torchPosition[(output * groupSize + input) * kernel + tap]
                }
            }
        }
        self.positionWeight = positionWeight
        positionBias = try read(Self.positionPrefix + "bias", [hidden])
        encoderNormScale = try read("encoder.layer_norm.weight", [hidden])
        encoderNormShift = try read("encoder.layer_norm.bias", [hidden])

        layers = []
        for index in 0..<configuration.layerCount {
            let base = "encoder.layers.\(index)."
            let attention = base + "attention."
            layers.append(Layer(
                queryKeyValueWeight: try read(attention + "q_proj.weight", [hidden, hidden])
                    + read(attention + "k_proj.weight", [hidden, hidden]) + read(attention + "v_proj.weight", [hidden, hidden]),
                queryKeyValueBias: try read(attention + "q_proj.bias", [hidden])
                    + read(attention + "k_proj.bias", [hidden]) + read(attention + "v_proj.bias", [hidden]),
                attentionOutputWeight: try read(attention + "out_proj.weight", [hidden, hidden]),
                attentionOutputBias: try read(attention + "out_proj.bias", [hidden]),
                attentionNormScale: try read(base + "layer_norm.weight", [hidden]),
                attentionNormShift: try read(base + "layer_norm.bias", [hidden]),
                intermediateWeight: try read(base + "feed_forward.intermediate_dense.weight", [intermediate, hidden]),
                intermediateBias: try read(base + "feed_forward.intermediate_dense.bias", [intermediate]),
                outputWeight: try read(base + "feed_forward.output_dense.weight", [hidden, intermediate]),
                outputBias: try read(base + "feed_forward.output_dense.bias", [hidden]),
                outputNormScale: try read(base + "final_layer_norm.weight", [hidden]),
                outputNormShift: try read(base + "final_layer_norm.bias", [hidden])))
        }

        for name in Self.ignoredNames {
            guard let shape = file.shape(of: name) else { continue }
            guard shape == [hidden] else { throw WeightsError.shapeMismatch(name: name, expected: [hidden], found: shape, path: file.url.path) }
            consumed.insert(name)
        }
        let unexpected = file.names.filter { !consumed.contains($0) }
        guard unexpected.isEmpty else { throw WeightsError.unexpectedKeys(names: unexpected, path: file.url.path) }
    }

    /// The positional convolution's weight `[hidden, groupSize, kernel]` in PyTorch's layout, folded
    /// from whichever form the file holds (see the type's notes).
    static func positionWeight(
        file: SafetensorsFile, hidden: Int, groupSize: Int, kernel: Int, consumed: inout Set<String>
    ) throws -> [Float] {
        let shape = [hidden, groupSize, kernel]
        let present = positionWeightNames.filter { file.shape(of: $0.0) != nil || file.shape(of: $0.1) != nil }
        let folded = file.shape(of: foldedPositionWeightName) != nil
        // One form only: the names of every form after the first are unexpected.
        let forms = present.map { [$0.0, $0.1] } + (folded ? [[foldedPositionWeightName]] : [])
        guard forms.count <= 1 else {
            throw WeightsError.unexpectedKeys(names: forms.dropFirst().flatMap { $0 }.filter { file.shape(of: $0) != nil }, path: file.url.path)
        }
        if folded || present.isEmpty {
            consumed.insert(foldedPositionWeightName)
            return try file.tensor(named: foldedPositionWeightName, expectedShape: shape).storage
        }
        let (magnitudeName, directionName) = present[0]
        consumed.insert(magnitudeName)
        consumed.insert(directionName)
        let magnitude = try file.tensor(named: magnitudeName, expectedShape: [1, 1, kernel]).storage
        var direction = try file.tensor(named: directionName, expectedShape: shape).storage
        // ‖v[:, :, k]‖ over every output and input channel of tap k, as torch's norm_except_dim(v, 2, dim=2).
        var squares = [Double](repeating: 0, count: kernel)
        for index in direction.indices { squares[index % kernel] += Double(direction[index]) * Double(direction[index]) }
        let factors = (0..<kernel).map { Double(magnitude[$0]) / squares[$0].squareRoot() }
        for index in direction.indices { direction[index] = Float(Double(direction[index]) * factors[index % kernel]) }
        return direction
    }
}
