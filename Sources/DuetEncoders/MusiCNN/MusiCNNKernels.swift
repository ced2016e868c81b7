import DuetTensor

/// The raw-buffer kernels of musicnn inference: the engine's `sgemm` with a free leading dimension, and
/// the fused bias + ReLU + batch norm + max-over-frequency pooling of the front end.
/// `minimumChunk` is passed to `Parallelism.forEachChunk`: `Int.max` keeps a loop on the calling thread
/// when patches already run in parallel.
///
/// Buffers are row-major; a feature map is `[frames, positions, channels]` with positions along
/// the mel axis, so a pooled front-end block is `[frames, channels]`.
enum MusiCNNKernels {
    /// `c[m, n] = a[m, k] b[k, n]`, where rows of `a` are `lda` floats apart (`lda >= k`), so a column
    /// window of a wider im2col matrix can be multiplied without copying it.
    @inline(__always)
    static func multiply(
        _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
        m: Int, n: Int, k: Int
    ) {
        precondition(lda >= k, "lda \(lda) must be at least k \(k)")
        sgemm(a, lda: lda, b, ldb: n, c, ldc: n, m: m, n: n, k: k)
    }

    /// Fused front-end block tail: for each frame and channel, `bn(relu(z + bias))` maximised over
    /// the `positions` of `product` (`[frames, positions, channels]`), written to
    /// `output[frame * outputStride + channel]`.
    ///
    /// Batch norm is `scale x + shift` per channel and ReLU is monotone, so the maximum over
    /// positions is `scale relu(max z + bias) + shift` when `scale >= 0` and uses the minimum otherwise;
    /// only the extremes of the raw product are needed.
    static func poolOverFrequency(
        _ product: UnsafePointer<Float>, frames: Int, positions: Int, channels: Int, bias: [Float],
        norm: FoldedBatchNorm, into output: UnsafeMutablePointer<Float>, outputStride: Int, minimumChunk: Int
    ) {
        bias.withUnsafeBufferPointer { bias in
            norm.scale.withUnsafeBufferPointer { scale in
                norm.shift.withUnsafeBufferPointer { shift in
                    let bias = bias.baseAddress!, scale = scale.baseAddress!, shift = shift.baseAddress!
                    Parallelism.forEachChunk(frames, minimumChunk: minimumChunk) { range in
                        let largest = UnsafeMutablePointer<Float>.allocate(capacity: channels)
                        let smallest = UnsafeMutablePointer<Float>.allocate(capacity: channels)
                        defer { largest.deallocate(); smallest.deallocate() }
                        for frame in range {
                            let block = product + frame * positions * channels
                            largest.update(from: block, count: channels)
                            smallest.update(from: block, count: channels)
                            for position in 1..<max(1, positions) {
                                let row = block + position * channels
                                for channel in 0..<channels {
                                    let value = row[channel]
                                    largest[channel] = max(largest[channel], value)
                                    smallest[channel] = min(smallest[channel], value)
                                }
                            }
                            let out = output + frame * outputStride
                            for channel in 0..<channels {
                                let extreme = scale[channel] >= 0 ? largest[channel] : smallest[channel]
                                out[channel] = scale[channel] * max(0, extreme + bias[channel]) + shift[channel]
                            }
                        }
                    }
                }
            }
        }
    }

    /// In place over `[rows, channels]`: `x = bn(relu(x + bias))`, then `x += residual` when given.
    static func biasReLUNorm(
        _ values: UnsafeMutablePointer<Float>, rows: Int, channels: Int, bias: [Float], norm: FoldedBatchNorm,
        residual: UnsafePointer<Float>? = nil
    ) {
        bias.withUnsafeBufferPointer { bias in
            norm.scale.withUnsafeBufferPointer { scale in
                norm.shift.withUnsafeBufferPointer { shift in
                    for row in 0..<rows {
                        let line = values + row * channels
                        for channel in 0..<channels {
                            line[channel] = scale[channel] * max(0, line[channel] + bias[channel]) + shift[channel]
                        }
                        if let residual {
                            let add = residual + row * channels
                            for channel in 0..<channels { line[channel] += add[channel] }
                        }
                    }
                }
            }
        }
    }
}
