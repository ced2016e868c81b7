import DuetTensor

/// HuBERT's convolutional relative position embedding (`HubertPositionalConvEmbedding`), which MERT
/// adds to the projected features before the encoder layers:
/// `p[t, g c + o] = act(b[g c + o] + Σ_{j<K} Σ_{i<c} w[g c + o, i, j] x[t + j − ⌊K/2⌋, g c + i])`
/// for `t < T`, `x` zero outside `0 ..< T`, `c = hidden / groups` channels per group, `w` the folded
/// weight-normed kernel (``MertWeights``). PyTorch pads `⌊K/2⌋` frames on both sides, which gives
/// `T + 1` outputs for an even kernel (MERT's 128); `HubertSamePadLayer` drops the last, so output `t`
/// is centred on frame `t` with `K/2` frames before it and `K/2 − 1` after.
///
/// Per group the `[rows, K · c]` unfolded input (row `t`: frames `t − K/2 ..< t + K/2`, channel
/// `i` of the group, tap-major) is multiplied by the group's `[c, K · c]` weight; rows go in chunks so
/// the unfolded copy stays a few megabytes, and the groups are spread over Duet's threads.
enum MertPositionalConvolution {
    /// Rows unfolded at a time.
    static let chunkRows = 128

    /// The position embedding `[frames, hidden]` of `states` `[frames, hidden]`, activation applied.
    static func embedding(
        of states: UnsafePointer<Float>, frames: Int, configuration: MertConfiguration, weights: MertWeights
    ) -> [Float] {
        let hidden = configuration.hiddenSize, kernel = configuration.positionKernel
        let groupSize = configuration.positionGroupSize, groups = configuration.positionGroups
        let before = kernel / 2
        var output = [Float](repeating: 0, count: frames * hidden)
        output.withUnsafeMutableBufferPointer { output in
            weights.positionBias.withUnsafeBufferPointer { bias in
                EncoderKernels.broadcastRows(bias.baseAddress!, into: output.baseAddress!, rows: frames, width: hidden)
            }
            nonisolated(unsafe) let output = output.baseAddress!, states = states
            weights.positionWeight.withUnsafeBufferPointer { weight in
                nonisolated(unsafe) let weight = weight.baseAddress!
                Parallelism.withSerialBLAS {
                    Parallelism.forEachChunk(groups, minimumChunk: 1) { range in
                        let width = kernel * groupSize
                        let unfolded = UnsafeMutablePointer<Float>.allocate(capacity: min(chunkRows, frames) * width)
                        defer { unfolded.deallocate() }
                        for group in range {
                            for start in stride(from: 0, to: frames, by: chunkRows) {
                                let rows = min(chunkRows, frames - start)
                                for row in 0..<rows {
                                    let destination = unfolded + row * width
                                    for tap in 0..<kernel {
                                        let frame = start + row + tap - before
                                        let slot = destination + tap * groupSize
                                        if frame < 0 || frame >= frames {
                                            slot.update(repeating: 0, count: groupSize)
                                        } else {
                                            slot.update(from: states + frame * hidden + group * groupSize, count: groupSize)
                                        }
                                    }
                                }
                                sgemm(
                                    unfolded, lda: width, weight + group * groupSize * width, ldb: width,
                                    output + start * hidden + group * groupSize, ldc: hidden,
                                    m: rows, n: groupSize, k: width, transposeB: true, beta: 1)
                            }
                        }
                    }
                }
            }
            EncoderKernels.activate(output, rows: frames, width: hidden, activation: configuration.featureEncoderActivation)
        }
        return output
    }
}
