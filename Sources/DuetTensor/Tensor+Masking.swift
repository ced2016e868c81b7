/// Masking for padded positions (attention over padded sequences).
extension Tensor {
    /// Keeps `x` where `keep` is true and writes `fill` elsewhere (as `x.masked_fill(~keep, fill)`).
    /// `keep` is row-major in `keepShape`, which must broadcast to this tensor's shape (for example
    /// a key-padding mask `[batch, 1, 1, keys]` against scores `[batch, heads, queries, keys]`).
    /// Use a large negative `fill` (or `-Float.infinity`) before a softmax.
    /// Backward: `dx = dy` where kept, 0 where filled.
    public func maskedFill(keep: [Bool], shape keepShape: [Int], with fill: Float) -> Tensor {
        precondition(keep.count == Tensor.elementCount(of: keepShape), "mask of \(keep.count) values for shape \(keepShape)")
        let runs = BroadcastRuns(left: shape, right: keepShape)
        precondition(runs.resultShape == shape, "mask \(keepShape) does not broadcast to \(shape)")
        let maskValues = keep.map { $0 ? Float(1) : 0 }
        let output = [Float].uninitialized(count) { target in
            withValues { input in
                withPointers(maskValues) { mask in
                    runs.forEachRun(in: 0..<runs.runCount) { start, inputStart, maskStart in
                        for index in 0..<runs.runLength {
                            let kept = mask[maskStart + index * runs.rightStep] != 0
                            target[start + index] = kept ? input[inputStart + index] : fill
                        }
                    }
                }
            }
        }
        return Tensor(output, shape: shape, inputs: [self]) { [self] result in
            let incoming = result.incomingGradient
            let gradient = [Float].uninitialized(self.count) { target in
                withPointers(maskValues) { mask in
                    runs.forEachRun(in: 0..<runs.runCount) { start, _, maskStart in
                        for index in 0..<runs.runLength {
                            target[start + index] = incoming[start + index] * mask[maskStart + index * runs.rightStep]
                        }
                    }
                }
            }
            self.accumulateGradient(gradient)
        }
    }

    /// An additive attention mask from a key-padding mask: `[batch, 1, 1, keys]` holding 0 for
    /// real keys and `fill` (default `-inf`) for padded ones, ready to add to scores
    /// `[batch, heads, queries, keys]`. `padded` is `[batch, keys]`, true where padded (PyTorch's
    /// `key_padding_mask` convention).
    public static func additiveKeyPaddingMask(padded: [Bool], batch: Int, keys: Int, fill: Float = -.infinity) -> Tensor {
        precondition(padded.count == batch * keys, "key-padding mask of \(padded.count) values for [\(batch), \(keys)]")
        return Tensor(padded.map { $0 ? fill : 0 }, shape: [batch, 1, 1, keys])
    }
}
