import DuetRandom
import DuetTensor

/// A seeded generator shared by the dropout layers of a model, so that one seed reproduces a
/// whole training run and the state can be saved for resuming.
public final class RandomSource {
    public var generator: SeededGenerator

    public init(seed: UInt64) { generator = SeededGenerator(seed: seed) }
}
