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
                    for index in 0..<count { target[index] = input[index] * mask[index] }
                }
            }
        }
        return Tensor(output, shape: shape, inputs: [self]) { [self] result in
            let incoming = result.incomingGradient
            let gradient = [Float].uninitialized(self.count) { target in
                for index in 0..<self.count { target[index] = incoming[index] * mask[index] }
            }
            self.accumulateGradient(gradient)
        }
    }

    /// `count` values, each `scale` with probability `1 − probability` and 0 otherwise.
    static func dropoutMask(count: Int, probability: Float, scale: Float, using generator: inout SeededGenerator) -> [Float] {
        // Compare 24-bit integers so the threshold is exact and the loop stays cheap.
        let threshold = UInt64(Double(probability) * Double(1 << 24))
        return [Float].uninitialized(count) { target in
            var index = 0
            while index < count {
                var bits = generator.next()
                // Two 24-bit draws per 64-bit word.
                for _ in 0..<2 where index < count {
                    target[index] = (bits & 0xFF_FFFF) < threshold ? 0 : scale
                    bits >>= 32
                    index += 1
                }
            }
        }
    }
}
