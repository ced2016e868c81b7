import DuetRandom

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
    /// One 64-bit draw from `generator` keys a counter-based hash (two rounds of Wellons'
    /// "lowbias32" integer hash over the element index), so elements are independent of each
    /// other and of the thread split, and the loop vectorises.
    static func dropoutMask(count: Int, probability: Float, scale: Float, using generator: inout SeededGenerator) -> [Float] {
        // Compare 24-bit integers so the threshold is exact.
        let threshold = UInt32(Double(probability) * Double(1 << 24))
        let key = generator.next()
        let low = UInt32(truncatingIfNeeded: key)
        let high = UInt32(truncatingIfNeeded: key >> 32)
        return [Float].uninitialized(count) { target in
            Parallelism.forEachChunk(count, minimumChunk: 65_536) { range in
                for index in range {
                    let bits = lowBiasHash(lowBiasHash(UInt32(truncatingIfNeeded: index) ^ low) ^ high)
                    target[index] = bits >> 8 < threshold ? 0 : scale
                }
            }
        }
    }
}

/// A 32-bit integer hash with low bias (Chris Wellons, "lowbias32").
@inline(__always)
func lowBiasHash(_ input: UInt32) -> UInt32 {
    var x = input
    x ^= x >> 16
    x = x &* 0x7FEB_352D
    x ^= x >> 15
    x = x &* 0x846C_A68B
    x ^= x >> 16
    return x
}
