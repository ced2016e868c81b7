import DuetTensor
import DuetWeights
import Foundation

/// The encoder of T5 (Raffel et al. 2020), T5 v1.1 and mT5 (Xue et al. 2021) for inference: the
/// network of `transformers`' `T5EncoderModel` in evaluation mode, fed token ids by the T5 tokenizer
/// (`DuetText.T5Tokenizer`).
///
/// Forward pass over `[batch, time, channels]` (`modeling_t5.py`: `T5LayerNorm`, `T5Attention`,
/// `T5DenseActDense` / `T5DenseGatedActDense`, `T5Stack`):
/// - embeddings: `x = shared[id]`; no position embeddings, no scaling;
/// - each of the `layerCount` pre-norm blocks, with `N(x) = w ⊙ x / sqrt(mean(x²) + ε)` (no mean, no shift):
///   `x ← x + Attention(N₁(x)) Wₒᵀ`, with per head `softmax(q kᵀ + B[h, bucket(j − i)]) v` — logits not
///   scaled, the relative-position bias `B` learned in the first block and shared by all
///   (``T5RelativePosition``); then `x ← x + F(N₂(x)) Wₒᵀ` with `F(y) = relu(y Wᵢᵀ)` (`relu`) or
///   `F(y) = gelu_tanh(y W₀ᵀ) ⊙ (y W₁ᵀ)` (`gated-gelu`); no linear layer has a bias;
/// - token states: `N_final(x)`, `[batch, time, channels]`.
///
/// Sentences are packed end to end instead of padded; attention stays inside each sentence, which is
/// what the padded batch's attention mask gives at the real positions. Every call runs without the
/// gradient tape (the encoder is locked) and is safe to call from several tasks.
public final class T5EncoderModel: Sendable {
    public let configuration: T5EncoderConfiguration
    public let weights: T5EncoderWeights

    /// What one forward pass returns.
    public struct Output: Sendable {
        /// The final-normed states, `[batch, time, channels]`, `time` the longest sentence; rows past a
        /// sentence's length are zero (mask them out with ``lengths``).
        public var tokenStates: Tensor
        /// Each sentence's token count.
        public var lengths: [Int]
        /// When asked for: `layerCount + 1` tensors `[batch, time, channels]`, the embeddings and then each
        /// block's output before the final norm; else empty.
        public var layerStates: [Tensor]
    }

    public init(configuration: T5EncoderConfiguration, weights: T5EncoderWeights) {
        self.configuration = configuration
        self.weights = weights
    }

    /// Loads `config.json` and `model.safetensors` from a checkpoint folder, strictly; with
    /// `ignoringDecoder` an encoder-decoder checkpoint's decoder is skipped by name.
    public convenience init(directory: URL, ignoringDecoder: Bool = false) throws {
        let configuration = try T5EncoderConfiguration(contentsOf: directory.appendingPathComponent("config.json"))
        let file = try SafetensorsFile(url: directory.appendingPathComponent("model.safetensors"))
        self.init(configuration: configuration, weights: try T5EncoderWeights(file: file, configuration: configuration, ignoringDecoder: ignoringDecoder))
    }

    /// Runs the encoder on each sentence.
    ///
    /// - Parameters:
    ///   - sentences: token ids per sentence, the end-of-sentence id included and without padding, each non-empty.
    ///   - keepingLayerStates: also return every block's states (for parity tests).
    public func callAsFunction(_ sentences: [[Int32]], keepingLayerStates: Bool = false) throws(EncoderError) -> Output {
        for (index, sentence) in sentences.enumerated() {
            guard !sentence.isEmpty else { throw .invalidInput(model: "T5 encoder", reason: "sentence \(index) has no tokens") }
            if let bad = sentence.first(where: { $0 < 0 || Int($0) >= configuration.vocabularySize }) {
                throw .invalidInput(model: "T5 encoder", reason: "sentence \(index) has token id \(bad) outside the vocabulary of \(configuration.vocabularySize)")
            }
        }
        let hidden = configuration.hiddenSize, inner = configuration.innerSize, feedForward = configuration.feedForwardSize
        let lengths = sentences.map(\.count)
        var offsets = [Int](repeating: 0, count: sentences.count)
        for index in sentences.indices.dropFirst() { offsets[index] = offsets[index - 1] + lengths[index - 1] }
        let tokens = lengths.reduce(0, +)
        let longest = lengths.max() ?? 0
        guard tokens > 0 else {
            return Output(tokenStates: Tensor.zeros([sentences.count, 0, hidden]), lengths: lengths, layerStates: [])
        }

        let states = UnsafeMutablePointer<Float>.allocate(capacity: tokens * hidden)
        let normed = UnsafeMutablePointer<Float>.allocate(capacity: tokens * hidden)
        let projections = UnsafeMutablePointer<Float>.allocate(capacity: tokens * 3 * inner)
        let context = UnsafeMutablePointer<Float>.allocate(capacity: tokens * inner)
        let expanded = UnsafeMutablePointer<Float>.allocate(capacity: tokens * feedForward)
        let linear = UnsafeMutablePointer<Float>.allocate(capacity: configuration.isGated ? tokens * feedForward : 1)
        defer { for buffer in [states, normed, projections, context, expanded, linear] { buffer.deallocate() } }

        weights.tokenEmbeddings.withUnsafeBufferPointer { table in
            for (sentence, ids) in sentences.enumerated() {
                for (position, id) in ids.enumerated() {
                    (states + (offsets[sentence] + position) * hidden).update(from: table.baseAddress! + Int(id) * hidden, count: hidden)
                }
            }
        }
        let bias = T5RelativePosition.biasTable(
            weights.relativeAttentionBias, headCount: configuration.headCount, longest: longest,
            bucketCount: configuration.relativeBucketCount, maximumDistance: configuration.relativeMaximumDistance)
        var layerStates: [Tensor] = []
        if keepingLayerStates { layerStates.append(padded(states, lengths: lengths, offsets: offsets)) }
        for layer in weights.layers {
            normalize(states, into: normed, scale: layer.attentionNormScale, rows: tokens)
            layer.queryKeyValueWeight.withUnsafeBufferPointer { weight in
                sgemm(normed, weight.baseAddress!, projections, m: tokens, n: 3 * inner, k: hidden, transposeB: true)
            }
            bias.withUnsafeBufferPointer { bias in
                EncoderKernels.attention(
                    projections: projections, context: context, offsets: offsets, lengths: lengths,
                    headCount: configuration.headCount, headSize: configuration.headSize, scale: 1, positionBias: bias.baseAddress!)
            }
            layer.attentionOutputWeight.withUnsafeBufferPointer { weight in
                sgemm(context, weight.baseAddress!, states, m: tokens, n: hidden, k: inner, transposeB: true, beta: 1)
            }
            normalize(states, into: normed, scale: layer.feedForwardNormScale, rows: tokens)
            layer.inputWeight.withUnsafeBufferPointer { weight in
                sgemm(normed, weight.baseAddress!, expanded, m: tokens, n: feedForward, k: hidden, transposeB: true)
            }
            if configuration.isGated {
                layer.gateLinearWeight.withUnsafeBufferPointer { weight in
                    sgemm(normed, weight.baseAddress!, linear, m: tokens, n: feedForward, k: hidden, transposeB: true)
                }
                EncoderKernels.gatedActivation(expanded, linear: linear, rows: tokens, width: feedForward, activation: configuration.activation)
            } else {
                EncoderKernels.activate(expanded, rows: tokens, width: feedForward, activation: configuration.activation)
            }
            layer.outputWeight.withUnsafeBufferPointer { weight in
                sgemm(expanded, weight.baseAddress!, states, m: tokens, n: hidden, k: feedForward, transposeB: true, beta: 1)
            }
            if keepingLayerStates { layerStates.append(padded(states, lengths: lengths, offsets: offsets)) }
        }
        normalize(states, into: normed, scale: weights.finalNormScale, rows: tokens)
        return Output(tokenStates: padded(normed, lengths: lengths, offsets: offsets), lengths: lengths, layerStates: layerStates)
    }

    /// `destination = N(source)` row by row, `[rows, hidden]` (T5's root-mean-square norm).
    private func normalize(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>, scale: [Float], rows: Int) {
        scale.withUnsafeBufferPointer { scale in
            EncoderKernels.rootMeanSquareNorm(
                source, into: destination, scale: scale.baseAddress!, rows: rows, width: configuration.hiddenSize,
                epsilon: configuration.normEpsilon)
        }
    }

    /// Packed `[tokens, hidden]` rows as `[batch, time, hidden]`, zero past each sentence's length.
    private func padded(_ packed: UnsafePointer<Float>, lengths: [Int], offsets: [Int]) -> Tensor {
        EncoderKernels.padded(packed, lengths: lengths, offsets: offsets, width: configuration.hiddenSize)
    }
}
