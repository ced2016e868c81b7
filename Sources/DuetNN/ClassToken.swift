import DuetRandom
import DuetTensor

/// A learnable [CLS] vector prepended to every sequence: `[batch, time, width]` →
/// `[batch, 1 + time, width]`. Parameter `token [1, 1, width]`, initialised `N(0, 0.02²)`.
/// The gradient of `token` is the sum of the gradients at position 0 over the batch.
public final class ClassToken: Module {
    public let token: Tensor

    public init(width: Int, using generator: inout SeededGenerator) {
        token = Tensor.randomNormal([1, 1, width], standardDeviation: 0.02, using: &generator, requiresGradient: true)
    }

    public override var ownParameters: [(key: String, parameter: Tensor)] { [("token", token)] }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        precondition(input.rank == 3 && input.shape[2] == token.shape[2],
                     "class token of width \(token.shape[2]) for input \(input.shape)")
        let batch = input.shape[0]
        let repeated = token.reshaped([1, token.shape[2]]).gatherRows([Int](repeating: 0, count: batch), indexShape: [batch, 1])
        return Tensor.concatenate([repeated, input], axis: 1)
    }

    /// The key-padding mask `[batch, time]` extended with an unpadded [CLS] position in front.
    public static func extendedKeyPadding(_ padded: [Bool], batch: Int) -> [Bool] {
        let time = padded.count / max(1, batch)
        var result: [Bool] = []
        result.reserveCapacity(batch * (time + 1))
        for item in 0..<batch {
            result.append(false)
            result += padded[(item * time)..<((item + 1) * time)]
        }
        return result
    }
}
