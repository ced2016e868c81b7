import DuetTensor

/// Inverted dropout, as `torch.nn.Dropout(p)`: active only in training mode, masks drawn from
/// the model's shared `RandomSource`.
public final class Dropout: Module {
    public let probability: Float
    let randomSource: RandomSource

    public init(_ probability: Float, randomSource: RandomSource) {
        self.probability = probability
        self.randomSource = randomSource
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        input.dropout(probability: probability, training: isTraining, using: &randomSource.generator)
    }
}
