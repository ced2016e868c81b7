import DuetRandom

/// Fused multi-head scaled dot-product attention on a packed query/key/value projection.
extension Tensor {
    /// Attention of every head, from `packed = [batch, time, 3·channels]` holding `[q | k | v]`
    /// along the last axis (PyTorch's packed `in_proj` output), to `[batch, time, channels]`
    /// with heads concatenated (ready for `out_proj`). Per batch item and head `h` (width
    /// `d = channels/heads`, columns `h·d ..< (h+1)·d` of each of q, k, v):
    ///
    /// `S = Q·Kᵀ/√d`, `S[:, j] = −∞` where key `j` is padded, `P = softmax(S)` row-wise,
    /// `P' = dropout(P)`, `O = P'·V` (as `torch.nn.MultiheadAttention` with `batch_first=True`).
    /// A query whose keys are all padded gets zeros (PyTorch would give NaN).
    ///
    /// Backward: `dP' = dO·Vᵀ`, `dV = P'ᵀ·dO`, `dP = dP' ⊙ mask`, `dS = P ⊙ (dP − rowsum(dP ⊙ P))`,
    /// `dQ = dS·K/√d`, `dK = dSᵀ·Q/√d`. Heads run in parallel; each sgemm reads its head in place
    /// through leading dimensions, so nothing is permuted or copied.
    ///
    /// - Parameters:
    ///   - heads: number of heads; must divide `channels`.
    ///   - keyPadding: `[batch, time]`, true where the key is padding (`key_padding_mask`), or nil.
    ///   - dropout: probability applied to the attention weights while `training`.
    ///   - queries: attend from only the first `queries` positions (every key is still used);
    ///     the result is then `[batch, queries, channels]`. A [CLS]-pooled last layer needs 1.
    public static func multiHeadAttention(
        packed: Tensor, heads: Int, keyPadding: [Bool]? = nil,
        dropout: Float = 0, training: Bool = false, queries: Int? = nil, using generator: inout SeededGenerator
    ) -> Tensor {
        precondition(packed.rank == 3 && packed.shape[2] % (3 * heads) == 0,
                     "attention needs packed [batch, time, 3·channels] divisible by 3·\(heads) heads, got \(packed.shape)")
        let batch = packed.shape[0]
        let time = packed.shape[1]
        let channels = packed.shape[2] / 3
        let width = channels / heads
        let packedWidth = 3 * channels
        if let keyPadding { precondition(keyPadding.count == batch * time, "key-padding mask of \(keyPadding.count) for [\(batch), \(time)]") }
        let scale = 1 / Float(width).squareRoot()
        let queryCount = queries ?? time
        precondition(queryCount >= 1 && queryCount <= time, "attention from \(queryCount) queries over \(time) positions")
        let square = queryCount * time
        let pairs = batch * heads
        let useDropout = training && dropout > 0
        // OpenBLAS runs products below m·n·k = 4·65536 on the calling thread; those heads run in
        // parallel here. Larger ones are left to OpenBLAS's own threads, one head at a time.
        let pairsPerChunk = queryCount * time * width < 262_144 ? 1 : pairs
        let dropMask = useDropout
            ? dropoutMask(count: pairs * square, probability: dropout, scale: 1 / (1 - dropout), using: &generator) : []
        var probabilities = [Float].uninitialized(pairs * square) { _ in }
        var dropped = useDropout ? [Float].uninitialized(pairs * square) { _ in } : []
        let output = [Float].uninitialized(batch * queryCount * channels) { target in
            packed.withValues { qkv in
                withMutablePointer(&probabilities) { probabilities in
                    withMutablePointer(&dropped) { dropped in
                        withPointers(dropMask) { dropMask in
                            Parallelism.forEachChunk(pairs, minimumChunk: pairsPerChunk) { range in
                                for pair in range {
                                    let item = pair / heads
                                    let head = pair % heads
                                    let base = qkv + item * time * packedWidth + head * width
                                    let p = probabilities + pair * square
                                    sgemm(base, lda: packedWidth, base + channels, ldb: packedWidth, p, ldc: time,
                                          m: queryCount, n: time, k: width, transposeB: true, alpha: scale)
                                    if let keyPadding {
                                        for key in 0..<time where keyPadding[item * time + key] {
                                            for query in 0..<queryCount { p[query * time + key] = -.infinity }
                                        }
                                    }
                                    for query in 0..<queryCount { softmaxRow(p + query * time, p + query * time, time) }
                                    var weights = UnsafePointer(p)
                                    if useDropout {
                                        let d = dropped + pair * square
                                        let m = dropMask + pair * square
                                        for index in 0..<square { d[index] = p[index] * m[index] }
                                        weights = UnsafePointer(d)
                                    }
                                    sgemm(weights, lda: time, base + 2 * channels, ldb: packedWidth,
                                          target.baseAddress! + item * queryCount * channels + head * width, ldc: channels,
                                          m: queryCount, n: width, k: time)
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(output, shape: [batch, queryCount, channels], inputs: [packed]) { result in
            var gradient = [Float].zeros(packed.count)
            withPointers(result.incomingGradient) { incoming in
                packed.withValues { qkv in
                    withPointers(probabilities) { probabilities in
                        withPointers(dropped) { dropped in
                            withPointers(dropMask) { dropMask in
                                withMutablePointer(&gradient) { gradient in
                                    Parallelism.forEachChunk(pairs, minimumChunk: pairsPerChunk) { range in
                                        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: square)
                                        defer { scratch.deallocate() }
                                        for pair in range {
                                            let item = pair / heads
                                            let head = pair % heads
                                            let offset = item * time * packedWidth + head * width
                                            let base = qkv + offset
                                            let gradientBase = gradient + offset
                                            let dO = incoming + item * queryCount * channels + head * width
                                            let p = probabilities + pair * square
                                            let weights = useDropout ? dropped + pair * square : p
                                            // dP' = dO·Vᵀ
                                            sgemm(dO, lda: channels, base + 2 * channels, ldb: packedWidth, scratch, ldc: time,
                                                  m: queryCount, n: time, k: width, transposeB: true)
                                            // dV = P'ᵀ·dO
                                            sgemm(weights, lda: time, dO, ldb: channels, gradientBase + 2 * channels, ldc: packedWidth,
                                                  m: time, n: width, k: queryCount, transposeA: true)
                                            if useDropout {
                                                let m = dropMask + pair * square
                                                for index in 0..<square { scratch[index] *= m[index] }
                                            }
                                            for query in 0..<queryCount {
                                                softmaxBackwardRow(p + query * time, scratch + query * time, scratch + query * time, time)
                                            }
                                            // dQ = dS·K/√d, dK = dSᵀ·Q/√d
                                            sgemm(scratch, lda: time, base + channels, ldb: packedWidth, gradientBase, ldc: packedWidth,
                                                  m: queryCount, n: width, k: time, alpha: scale)
                                            sgemm(scratch, lda: time, base, ldb: packedWidth, gradientBase + channels, ldc: packedWidth,
                                                  m: time, n: width, k: queryCount, transposeA: true, alpha: scale)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            packed.accumulateGradient(gradient)
        }
    }
}
