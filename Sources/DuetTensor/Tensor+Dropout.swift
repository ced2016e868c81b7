/// Inverted dropout, as `torch.nn.functional.dropout`.
extension Tensor {
    /// In training, zeroes each element with probability `probability` and scales survivors by
    /// `1/(1 − p)`; otherwise (or with `p = 0`) returns `self` unchanged. The mask is drawn from
    /// `generator`, so a seeded run reproduces exactly. Backward: `dx = dy ⊙ mask/(1 − p)`.
    public func dropout(probability: Float, training: Bool, using generator: inout SeededGenerator) -> Tensor {
        precondition(probability >= 0 && probability < 1, "dropout probability \(probability) outside [0, 1)")
        guard training, probability > 0 else { return self }
        let scale = 1 / (1 - probability)
        let mask = Tensor.dropoutMask(count: count, probability: probability, scale: scale, using: &generator)
        let output = [Float].uninitialized(count) { target in
            withValues { input in
                withPointers(mask) { mask in
                    Parallelism.forEachChunk(count, minimumChunk: 65_536) { range in
                        for index in range { target[index] = input[index] * mask[index] }
                    }
                }
            }
        }
        return Tensor(output, shape: shape, inputs: [self]) { [self] result in
            let incoming = result.incomingGradient
            let gradient = [Float].uninitialized(self.count) { target in
                withPointers(incoming) { incoming in
                    withPointers(mask) { mask in
                        Parallelism.forEachChunk(self.count, minimumChunk: 65_536) { range in
                            for index in range { target[index] = incoming[index] * mask[index] }
                        }
                    }
                }
            }
            self.accumulateGradient(gradient)
        }
    }

    /// `count` values, each `scale` with probability `1 − probability` and 0 otherwise.
    ///
    /// One draw from `generator` seeds independent streams for fixed blocks of 65 536 values, so
    /// the blocks fill in parallel and the mask does not depend on the thread count.
    static func dropoutMask(count: Int, probability: Float, scale: Float, using generator: inout SeededGenerator) -> [Float] {
        // Compare 24-bit integers so the threshold is exact and the loop stays cheap.
        let threshold = UInt32(Double(probability) * Double(1 << 24))
        let base = generator.next()
        let block = 65_536
        let blocks = (count + block - 1) / block
        return [Float].uninitialized(count) { target in
            Parallelism.forEachChunk(blocks, minimumChunk: 4) { range in
                for blockIndex in range {
                    var stream = SeededGenerator(seed: base ^ (UInt64(blockIndex) &* 0x9E37_79B9_7F4A_7C15))
                    let start = blockIndex * block
                    let end = Swift.min(count, start + block)
                    var index = start
                    while index < end {
                        // Two 24-bit draws per 64-bit word.
                        let bits = stream.next()
                        target[index] = UInt32(truncatingIfNeeded: bits) & 0xFF_FFFF < threshold ? 0 : scale
                        if index + 1 < end {
                            target[index + 1] = UInt32(truncatingIfNeeded: bits >> 32) & 0xFF_FFFF < threshold ? 0 : scale
                        }
                        index += 2
                    }
                }
            }
        }
    }
}
