import DuetTensor
import DuetWeights
import Foundation

/// MERT-v1 (Li et al. 2023; `m-a-p/MERT-v1-95M`, `m-a-p/MERT-v1-330M`, CC BY-NC 4.0) as a locked
/// audio encoder: every hidden state of a clip, for the layer aggregator. The network is
/// `transformers`' `HubertModel` in evaluation mode, which MERT's released checkpoints load into
/// (Docs/audio-tower.md lists where MERT's own modelling code differs and why it does not matter for them).
///
/// Forward pass over one clip (`modeling_hubert.py`):
/// - input: the 24 kHz mono waveform, normalised per clip (``MertPreprocessing``);
/// - features `[frames, 512]`: the convolutional feature encoder (``MertFeatureEncoder``), 320 samples a frame;
/// - projection: `z = LayerNorm(features) Wᵀ + b`, `[frames, hidden]`;
/// - `x = z + PositionConv(z)` (``MertPositionalConvolution``);
/// - post-norm (`do_stable_layer_norm` false, 95M): `x ← LayerNorm(x)`, then per layer
///   `a = LayerNorm₁(x + Attention(x))`, `x = LayerNorm₂(a + FFN(a))`;
/// - pre-norm (true, 330M): per layer `x ← x + Attention(LayerNorm₁(x))`, `x ← x + FFN(LayerNorm₂(x))`,
///   and a final `LayerNorm(x)`;
/// - `Attention(x) = concat_h softmax(q_h k_hᵀ / sqrt(headSize)) v_h Wₒᵀ + bₒ`, over all frames (no
///   mask: one clip), `FFN(x) = gelu(x W₁ᵀ + b₁) W₂ᵀ + b₂` with the exact GELU.
///
/// The hidden states (`hidden_states` of MERT's code under the transformers it was released with,
/// 4.24) are `layerCount + 1` entries of `[frames, hidden]`: the encoder's input after the embedding
/// step (normed for post-norm, not for pre-norm), then each layer's output; for pre-norm the last
/// entry is after the final norm. transformers 5 returns the last pre-norm entry before that norm.
///
/// Every call runs without the gradient tape (the encoder is locked) and is safe to call from several tasks.
public final class MertModel: Sendable {
    public let configuration: MertConfiguration
    public let weights: MertWeights
    public let preprocessing: MertPreprocessing

    public init(configuration: MertConfiguration, weights: MertWeights, preprocessing: MertPreprocessing? = nil) {
        self.configuration = configuration
        self.weights = weights
        self.preprocessing = preprocessing ?? MertPreprocessing(sampleRate: configuration.sampleRate)
    }

    /// Loads `config.json`, `model.safetensors` and, when present, `preprocessor_config.json` from a
    /// checkpoint folder, strictly. The released MERT folders hold `pytorch_model.bin` (a pickle, which
    /// Duet does not read): convert it once with `duet convert-weights` (Docs/weights.md).
    public convenience init(directory: URL) throws {
        let configuration = try MertConfiguration(contentsOf: directory.appendingPathComponent("config.json"))
        let weightsURL = directory.appendingPathComponent("model.safetensors")
        guard FileManager.default.fileExists(atPath: weightsURL.path) else {
            throw WeightsError.missingFile(
                path: weightsURL.path,
                hint: "MERT checkpoints ship pytorch_model.bin; convert it with `duet convert-weights \(directory.path) -o \(directory.path)`.")
        }
        let preprocessorURL = directory.appendingPathComponent("preprocessor_config.json")
        let preprocessing = FileManager.default.fileExists(atPath: preprocessorURL.path)
            ? try MertPreprocessing(contentsOf: preprocessorURL) : nil
        if let preprocessing, preprocessing.sampleRate != configuration.sampleRate {
            throw EncoderError.unsupportedConfiguration(
                model: "MERT", path: preprocessorURL.path,
                reason: "sampling_rate \(preprocessing.sampleRate) differs from the model's sample_rate \(configuration.sampleRate)")
        }
        self.init(
            configuration: configuration, weights: try MertWeights(file: try SafetensorsFile(url: weightsURL), configuration: configuration),
            preprocessing: preprocessing)
    }

    /// Every hidden state of one clip: `[stateCount, frames, hidden]` (see the type's notes).
    ///
    /// - Parameter samples: mono samples at ``MertConfiguration/sampleRate``, at least
    ///   ``MertConfiguration/minimumSampleCount`` of them; normalised here as the checkpoint's
    ///   feature extractor does.
    public func hiddenStates(samples: [Float]) throws(EncoderError) -> Tensor {
        try hiddenStates(inputValues: preprocessing.inputValues(samples))
    }

    /// ``hiddenStates(samples:)`` of input that is already normalised (`input_values` of the feature extractor).
    public func hiddenStates(inputValues: [Float]) throws(EncoderError) -> Tensor {
        guard inputValues.count >= configuration.minimumSampleCount else {
            throw .invalidInput(
                model: "MERT",
                reason: "a clip of \(inputValues.count) samples is shorter than the \(configuration.minimumSampleCount) samples of one frame")
        }
        if let index = inputValues.firstIndex(where: { !$0.isFinite }) {
            throw .invalidInput(model: "MERT", reason: "sample \(index) is \(inputValues[index])")
        }
        return forward(inputValues)
    }

    private func forward(_ input: [Float]) -> Tensor {
        let hidden = configuration.hiddenSize, intermediate = configuration.intermediateSize
        let epsilon = configuration.layerNormEpsilon
        let (features, frames) = MertFeatureEncoder.features(of: input, configuration: configuration, weights: weights)
        let featureWidth = configuration.convolutionChannels.last!
        var output = [Float](repeating: 0, count: configuration.stateCount * frames * hidden)

        var projected = features
        let states = UnsafeMutablePointer<Float>.allocate(capacity: frames * hidden)
        let normed = UnsafeMutablePointer<Float>.allocate(capacity: frames * hidden)
        let projections = UnsafeMutablePointer<Float>.allocate(capacity: frames * 3 * hidden)
        let context = UnsafeMutablePointer<Float>.allocate(capacity: frames * hidden)
        let expanded = UnsafeMutablePointer<Float>.allocate(capacity: frames * intermediate)
        defer { for buffer in [states, normed, projections, context, expanded] { buffer.deallocate() } }

        // Feature projection.
        projected.withUnsafeMutableBufferPointer { projected in
            if let scale = weights.projectionNormScale, let shift = weights.projectionNormShift {
                Self.layerNorm(projected.baseAddress!, rows: frames, width: featureWidth, scale: scale, shift: shift, epsilon: epsilon)
            }
            weights.projectionBias.withUnsafeBufferPointer { EncoderKernels.broadcastRows($0.baseAddress!, into: states, rows: frames, width: hidden) }
            weights.projectionWeight.withUnsafeBufferPointer { weight in
                sgemm(projected.baseAddress!, weight.baseAddress!, states, m: frames, n: hidden, k: featureWidth, transposeB: true, beta: 1)
            }
        }
        // Relative position embedding by convolution.
        let position = MertPositionalConvolution.embedding(of: states, frames: frames, configuration: configuration, weights: weights)
        for index in 0..<(frames * hidden) { states[index] += position[index] }
        if !configuration.preNorm {
            Self.layerNorm(states, rows: frames, width: hidden, scale: weights.encoderNormScale, shift: weights.encoderNormShift, epsilon: epsilon)
        }
        output.withUnsafeMutableBufferPointer { buffer in
            let output = buffer.baseAddress!
            output.update(from: states, count: frames * hidden)
            for (index, layer) in weights.layers.enumerated() {
                let buffers = Buffers(states: states, normed: normed, projections: projections, context: context, expanded: expanded)
                if configuration.preNorm {
                    runPreNorm(layer, buffers, frames: frames)
                } else {
                    runPostNorm(layer, buffers, frames: frames)
                }
                let destination = output + (index + 1) * frames * hidden
                destination.update(from: states, count: frames * hidden)
                if configuration.preNorm && index == configuration.layerCount - 1 {
                    Self.layerNorm(destination, rows: frames, width: hidden, scale: weights.encoderNormScale, shift: weights.encoderNormShift, epsilon: epsilon)
                }
            }
        }
        return Tensor(output, shape: [configuration.stateCount, frames, hidden])
    }

    /// The working buffers of one layer, each `[frames, width]`.
    private struct Buffers {
        let states: UnsafeMutablePointer<Float>
        let normed: UnsafeMutablePointer<Float>
        /// `[frames, 3 · hidden]`.
        let projections: UnsafeMutablePointer<Float>
        let context: UnsafeMutablePointer<Float>
        /// `[frames, intermediate]`.
        let expanded: UnsafeMutablePointer<Float>
    }

    /// `values = LayerNorm(values)` row by row, in place.
    private static func layerNorm(
        _ values: UnsafeMutablePointer<Float>, rows: Int, width: Int, scale: [Float], shift: [Float], epsilon: Float
    ) {
        scale.withUnsafeBufferPointer { scale in
            shift.withUnsafeBufferPointer { shift in
                EncoderKernels.residualLayerNorm(
                    values, adding: nil, bias: nil, scale: scale.baseAddress!, shift: shift.baseAddress!, rows: rows, width: width, epsilon: epsilon)
            }
        }
    }

    /// `projections = input Wᵀ_qkv + b_qkv`, then the attention's context over all frames.
    private func attend(_ layer: MertWeights.Layer, input: UnsafePointer<Float>, _ buffers: Buffers, frames: Int) {
        let hidden = configuration.hiddenSize
        layer.queryKeyValueWeight.withUnsafeBufferPointer { weight in
            layer.queryKeyValueBias.withUnsafeBufferPointer { bias in
                EncoderKernels.broadcastRows(bias.baseAddress!, into: buffers.projections, rows: frames, width: 3 * hidden)
                sgemm(input, weight.baseAddress!, buffers.projections, m: frames, n: 3 * hidden, k: hidden, transposeB: true, beta: 1)
            }
        }
        EncoderKernels.attention(
            projections: buffers.projections, context: buffers.context, offsets: [0], lengths: [frames],
            headCount: configuration.headCount, headSize: configuration.headSize)
    }

    /// `expanded = act(input W₁ᵀ + b₁)`.
    private func expand(_ layer: MertWeights.Layer, input: UnsafePointer<Float>, _ buffers: Buffers, frames: Int) {
        let hidden = configuration.hiddenSize, intermediate = configuration.intermediateSize
        layer.intermediateWeight.withUnsafeBufferPointer { weight in
            layer.intermediateBias.withUnsafeBufferPointer { bias in
                sgemm(input, weight.baseAddress!, buffers.expanded, m: frames, n: intermediate, k: hidden, transposeB: true)
                EncoderKernels.biasActivation(buffers.expanded, bias: bias.baseAddress!, rows: frames, width: intermediate, activation: configuration.activation)
            }
        }
    }

    /// One post-norm layer (`HubertEncoderLayer`), in place on `states`.
    private func runPostNorm(_ layer: MertWeights.Layer, _ buffers: Buffers, frames: Int) {
        let hidden = configuration.hiddenSize, intermediate = configuration.intermediateSize
        attend(layer, input: buffers.states, buffers, frames: frames)
        // The projections' outputs reuse the normed buffer (unused in post-norm).
        addProjectionAndNormalize(
            buffers.context, width: hidden, weight: layer.attentionOutputWeight, bias: layer.attentionOutputBias,
            scale: layer.attentionNormScale, shift: layer.attentionNormShift, buffers, frames: frames)
        expand(layer, input: buffers.states, buffers, frames: frames)
        addProjectionAndNormalize(
            buffers.expanded, width: intermediate, weight: layer.outputWeight, bias: layer.outputBias,
            scale: layer.outputNormScale, shift: layer.outputNormShift, buffers, frames: frames)
    }

    /// `states = LayerNorm(states + input Wᵀ + bias)` for `input` `[frames, width]` and `weight` `[hidden, width]`,
    /// the product written to the normed buffer first.
    private func addProjectionAndNormalize(
        _ input: UnsafeMutablePointer<Float>, width: Int, weight: [Float], bias: [Float], scale: [Float], shift: [Float],
        _ buffers: Buffers, frames: Int
    ) {
        let hidden = configuration.hiddenSize
        weight.withUnsafeBufferPointer { weight in
            sgemm(input, weight.baseAddress!, buffers.normed, m: frames, n: hidden, k: width, transposeB: true)
        }
        bias.withUnsafeBufferPointer { bias in
            scale.withUnsafeBufferPointer { scale in
                shift.withUnsafeBufferPointer { shift in
                    EncoderKernels.residualLayerNorm(
                        buffers.states, adding: buffers.normed, bias: bias.baseAddress!, scale: scale.baseAddress!, shift: shift.baseAddress!,
                        rows: frames, width: hidden, epsilon: configuration.layerNormEpsilon)
                }
            }
        }
    }

    /// One pre-norm layer (`HubertEncoderLayerStableLayerNorm`), in place on `states`; the residual
    /// additions are the projections' `beta: 1` accumulation into `states`.
    private func runPreNorm(_ layer: MertWeights.Layer, _ buffers: Buffers, frames: Int) {
        let hidden = configuration.hiddenSize, intermediate = configuration.intermediateSize
        let epsilon = configuration.layerNormEpsilon
        buffers.normed.update(from: buffers.states, count: frames * hidden)
        Self.layerNorm(buffers.normed, rows: frames, width: hidden, scale: layer.attentionNormScale, shift: layer.attentionNormShift, epsilon: epsilon)
        attend(layer, input: buffers.normed, buffers, frames: frames)
        addProjection(buffers.context, width: hidden, weight: layer.attentionOutputWeight, bias: layer.attentionOutputBias, buffers, frames: frames)
        buffers.normed.update(from: buffers.states, count: frames * hidden)
        Self.layerNorm(buffers.normed, rows: frames, width: hidden, scale: layer.outputNormScale, shift: layer.outputNormShift, epsilon: epsilon)
        expand(layer, input: buffers.normed, buffers, frames: frames)
        addProjection(buffers.expanded, width: intermediate, weight: layer.outputWeight, bias: layer.outputBias, buffers, frames: frames)
    }

    /// `states += input Wᵀ + bias` for `input` `[frames, width]` and `weight` `[hidden, width]`: the bias added
    /// first, the product accumulated into `states` (`beta: 1`).
    private func addProjection(
        _ input: UnsafeMutablePointer<Float>, width: Int, weight: [Float], bias: [Float], _ buffers: Buffers, frames: Int
    ) {
        let hidden = configuration.hiddenSize
        weight.withUnsafeBufferPointer { weight in
            bias.withUnsafeBufferPointer { bias in
                EncoderKernels.addRows(bias.baseAddress!, into: buffers.states, rows: frames, width: hidden)
                sgemm(input, weight.baseAddress!, buffers.states, m: frames, n: hidden, k: width, transposeB: true, beta: 1)
            }
        }
    }
}
