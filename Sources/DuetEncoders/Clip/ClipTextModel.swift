import DuetTensor
import DuetWeights
import Foundation

/// CLIP's text transformer (Radford et al. 2021) with its projection, for inference: the network of
/// `transformers`' `CLIPTextModelWithProjection` in evaluation mode, fed token ids by the CLIP
/// tokenizer (`DuetText.ClipTokenizer`).
///
/// Forward pass over `[batch, time, channels]` (`modeling_clip.py`: `CLIPTextEmbeddings`,
/// `CLIPEncoderLayer`, `CLIPTextTransformer`):
/// - embeddings: `x = token[id] + position[t]`, positions `0 ..< time`;
/// - each of the `layerCount` pre-norm layers:
///   `x ← x + Attention(LayerNorm₁(x)) Wₒᵀ + bₒ`, `x ← x + act(LayerNorm₂(x) W₁ᵀ + b₁) W₂ᵀ + b₂`,
///   with causal multi-head attention `softmax(q kᵀ / sqrt(headSize) + causal mask) v` (query `t`
///   sees positions `0...t`) and `act` the configuration's `hidden_act` (`quick_gelu`, `x σ(1.702 x)`);
/// - token states: `LayerNorm_final(x)`, `[batch, time, channels]`;
/// - pooled state: the token state at the end-of-text position (``ClipTextConfiguration/endOfTextIdentifier``);
/// - embedding: `pooled Wₚᵀ`, `[batch, projection]` (`text_projection`, no bias).
///
/// Sentences are packed end to end instead of padded: attention is causal and stays inside each
/// sentence, so each sentence's states are those of a right-padded batch at its real positions
/// (padding can never reach an earlier position). Every call runs without the gradient tape (the
/// encoder is locked) and is safe to call from several tasks.
public final class ClipTextModel: Sendable {
    public let configuration: ClipTextConfiguration
    public let weights: ClipTextWeights

    /// What one forward pass returns.
    public struct Output: Sendable {
        /// The final-layer-normed states, `[batch, time, channels]`, `time` the longest sentence; rows
        /// past a sentence's length are zero (mask them out with ``lengths``).
        public var tokenStates: Tensor
        /// Each sentence's token count.
        public var lengths: [Int]
        /// The token state at each sentence's pooled position, `[batch, channels]`.
        public var pooledStates: Tensor
        /// The projected pooled states, `[batch, projection]` (`text_embeds` in `transformers`).
        public var embeddings: Tensor
        /// When asked for: `layerCount + 1` tensors `[batch, time, channels]`, the embeddings and then
        /// each layer's output before the final norm (`hidden_states` in `transformers`); else empty.
        public var layerStates: [Tensor]
    }

    public init(configuration: ClipTextConfiguration, weights: ClipTextWeights) {
        self.configuration = configuration
        self.weights = weights
    }

    /// Loads `config.json` and `model.safetensors` from a checkpoint folder, strictly; a whole CLIP
    /// checkpoint's vision tower is skipped by name.
    public convenience init(directory: URL) throws {
        let configuration = try ClipTextConfiguration(contentsOf: directory.appendingPathComponent("config.json"))
        let file = try SafetensorsFile(url: directory.appendingPathComponent("model.safetensors"))
        self.init(
            configuration: configuration,
            weights: try ClipTextWeights(file: file, configuration: configuration, ignoringVisionTower: configuration.describesWholeModel))
    }

    /// The position whose state is pooled: the first position holding ``ClipTextConfiguration/endOfTextIdentifier``
    /// (0 when none does, as `argmax` of an all-false row gives), or with the legacy `eos_token_id == 2`
    /// the first position of the largest id.
    public func pooledPosition(of sentence: [Int32]) -> Int {
        if configuration.poolsAtLargestIdentifier {
            guard let largest = sentence.max() else { return 0 }
            return sentence.firstIndex(of: largest) ?? 0
        }
        return sentence.firstIndex(of: Int32(configuration.endOfTextIdentifier)) ?? 0
    }

    /// Runs the text tower on each sentence.
    ///
    /// - Parameters:
    ///   - sentences: token ids per sentence, special tokens included and without padding, each
    ///     non-empty and at most `maximumPositions` long.
    ///   - keepingLayerStates: also return every layer's states (for parity tests).
    public func callAsFunction(_ sentences: [[Int32]], keepingLayerStates: Bool = false) throws(EncoderError) -> Output {
        try validate(sentences)
        let hidden = configuration.hiddenSize, intermediate = configuration.intermediateSize
        let lengths = sentences.map(\.count)
        var offsets = [Int](repeating: 0, count: sentences.count)
        for index in sentences.indices.dropFirst() { offsets[index] = offsets[index - 1] + lengths[index - 1] }
        let tokens = lengths.reduce(0, +)

        let states = UnsafeMutablePointer<Float>.allocate(capacity: max(1, tokens * hidden))
        let normed = UnsafeMutablePointer<Float>.allocate(capacity: max(1, tokens * hidden))
        let projections = UnsafeMutablePointer<Float>.allocate(capacity: max(1, tokens * 3 * hidden))
        let context = UnsafeMutablePointer<Float>.allocate(capacity: max(1, tokens * hidden))
        let expanded = UnsafeMutablePointer<Float>.allocate(capacity: max(1, tokens * intermediate))
        defer { for buffer in [states, normed, projections, context, expanded] { buffer.deallocate() } }

        weights.tokenEmbeddings.withUnsafeBufferPointer { words in
            weights.positionEmbeddings.withUnsafeBufferPointer { positions in
                for (sentence, ids) in sentences.enumerated() {
                    for (position, id) in ids.enumerated() {
                        let row = states + (offsets[sentence] + position) * hidden
                        let word = words.baseAddress! + Int(id) * hidden
                        let place = positions.baseAddress! + position * hidden
                        for channel in 0..<hidden { row[channel] = word[channel] + place[channel] }
                    }
                }
            }
        }
        var layerStates: [Tensor] = []
        if keepingLayerStates { layerStates.append(padded(states, lengths: lengths, offsets: offsets)) }
        for layer in weights.layers {
            run(layer, states: states, normed: normed, projections: projections, context: context, expanded: expanded,
                tokens: tokens, offsets: offsets, lengths: lengths)
            if keepingLayerStates { layerStates.append(padded(states, lengths: lengths, offsets: offsets)) }
        }
        normalize(states, into: normed, scale: weights.finalNormScale, shift: weights.finalNormShift, rows: tokens)

        var pooled = [Float](repeating: 0, count: sentences.count * hidden)
        for (sentence, ids) in sentences.enumerated() {
            let row = normed + (offsets[sentence] + pooledPosition(of: ids)) * hidden
            for channel in 0..<hidden { pooled[sentence * hidden + channel] = row[channel] }
        }
        let projectionSize = configuration.projectionSize
        var embeddings = [Float](repeating: 0, count: sentences.count * projectionSize)
        weights.projection.withUnsafeBufferPointer { projection in
            sgemm(pooled, projection.baseAddress!, &embeddings, m: sentences.count, n: projectionSize, k: hidden, transposeB: true)
        }
        return Output(
            tokenStates: padded(normed, lengths: lengths, offsets: offsets), lengths: lengths,
            pooledStates: Tensor(pooled, shape: [sentences.count, hidden]),
            embeddings: Tensor(embeddings, shape: [sentences.count, projectionSize]), layerStates: layerStates)
    }

    private func validate(_ sentences: [[Int32]]) throws(EncoderError) {
        for (index, sentence) in sentences.enumerated() {
            guard !sentence.isEmpty else { throw .invalidInput(model: "CLIP text", reason: "sentence \(index) has no tokens") }
            guard sentence.count <= configuration.maximumPositions else {
                throw .invalidInput(model: "CLIP text", reason: "sentence \(index) has \(sentence.count) tokens, more than the \(configuration.maximumPositions) positions of the model")
            }
            if let bad = sentence.first(where: { $0 < 0 || Int($0) >= configuration.vocabularySize }) {
                throw .invalidInput(model: "CLIP text", reason: "sentence \(index) has token id \(bad) outside the vocabulary of \(configuration.vocabularySize)")
            }
        }
    }

    /// `destination = LayerNorm(source)` row by row, `[rows, hidden]`.
    private func normalize(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>, scale: [Float], shift: [Float], rows: Int) {
        let hidden = configuration.hiddenSize
        destination.update(from: source, count: rows * hidden)
        scale.withUnsafeBufferPointer { scale in
            shift.withUnsafeBufferPointer { shift in
                EncoderKernels.residualLayerNorm(
                    destination, adding: nil, bias: nil, scale: scale.baseAddress!, shift: shift.baseAddress!,
                    rows: rows, width: hidden, epsilon: configuration.layerNormEpsilon)
            }
        }
    }

    /// One pre-norm layer, in place on `states` `[tokens, hidden]`; the residual additions are the
    /// projections' `beta: 1` accumulation into `states`.
    private func run(
        _ layer: ClipTextWeights.Layer, states: UnsafeMutablePointer<Float>, normed: UnsafeMutablePointer<Float>,
        projections: UnsafeMutablePointer<Float>, context: UnsafeMutablePointer<Float>, expanded: UnsafeMutablePointer<Float>,
        tokens: Int, offsets: [Int], lengths: [Int]
    ) {
        let hidden = configuration.hiddenSize, intermediate = configuration.intermediateSize
        normalize(states, into: normed, scale: layer.firstNormScale, shift: layer.firstNormShift, rows: tokens)
        layer.queryKeyValueWeight.withUnsafeBufferPointer { weight in
            layer.queryKeyValueBias.withUnsafeBufferPointer { bias in
                EncoderKernels.broadcastRows(bias.baseAddress!, into: projections, rows: tokens, width: 3 * hidden)
                sgemm(normed, weight.baseAddress!, projections, m: tokens, n: 3 * hidden, k: hidden, transposeB: true, beta: 1)
            }
        }
        EncoderKernels.attention(
            projections: projections, context: context, offsets: offsets, lengths: lengths,
            headCount: configuration.headCount, headSize: configuration.headSize, causal: true)
        layer.attentionOutputWeight.withUnsafeBufferPointer { weight in
            layer.attentionOutputBias.withUnsafeBufferPointer { bias in
                EncoderKernels.addRows(bias.baseAddress!, into: states, rows: tokens, width: hidden)
                sgemm(context, weight.baseAddress!, states, m: tokens, n: hidden, k: hidden, transposeB: true, beta: 1)
            }
        }
        normalize(states, into: normed, scale: layer.secondNormScale, shift: layer.secondNormShift, rows: tokens)
        layer.intermediateWeight.withUnsafeBufferPointer { weight in
            layer.intermediateBias.withUnsafeBufferPointer { bias in
                sgemm(normed, weight.baseAddress!, expanded, m: tokens, n: intermediate, k: hidden, transposeB: true)
                EncoderKernels.biasActivation(expanded, bias: bias.baseAddress!, rows: tokens, width: intermediate, activation: configuration.activation)
            }
        }
        layer.outputWeight.withUnsafeBufferPointer { weight in
            layer.outputBias.withUnsafeBufferPointer { bias in
                EncoderKernels.addRows(bias.baseAddress!, into: states, rows: tokens, width: hidden)
                sgemm(expanded, weight.baseAddress!, states, m: tokens, n: hidden, k: intermediate, transposeB: true, beta: 1)
            }
        }
    }

    /// Packed `[tokens, hidden]` rows as `[batch, time, hidden]`, zero past each sentence's length.
    private func padded(_ packed: UnsafePointer<Float>, lengths: [Int], offsets: [Int]) -> Tensor {
        EncoderKernels.padded(packed, lengths: lengths, offsets: offsets, width: configuration.hiddenSize)
    }
}
