import DuetRandom

extension Tensor {
    /// A tensor of zeros.
    public static func zeros(_ shape: [Int], requiresGradient: Bool = false) -> Tensor {
        Tensor([Float](repeating: 0, count: elementCount(of: shape)), shape: shape, requiresGradient: requiresGradient)
    }

    /// A tensor of ones.
    public static func ones(_ shape: [Int], requiresGradient: Bool = false) -> Tensor {
        full(1, shape, requiresGradient: requiresGradient)
    }

    /// A tensor filled with `value`.
    public static func full(_ value: Float, _ shape: [Int], requiresGradient: Bool = false) -> Tensor {
        Tensor([Float](repeating: value, count: elementCount(of: shape)), shape: shape, requiresGradient: requiresGradient)
    }

    /// A rank-0 tensor.
    public convenience init(scalar: Float, requiresGradient: Bool = false) {
        self.init([scalar], shape: [], requiresGradient: requiresGradient)
    }

    /// Normal samples with the given mean and standard deviation, reproducible for a generator state.
    public static func randomNormal(
        _ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
        using generator: inout SeededGenerator, requiresGradient: Bool = false
    ) -> Tensor {
        let values = (0..<elementCount(of: shape)).map { _ in mean + standardDeviation * generator.nextNormal() }
        return Tensor(values, shape: shape, requiresGradient: requiresGradient)
    }

    /// Uniform samples in `[lower, upper)`, reproducible for a generator state.
    public static func randomUniform(
        _ shape: [Int], lower: Float = 0, upper: Float = 1,
        using generator: inout SeededGenerator, requiresGradient: Bool = false
    ) -> Tensor {
        let values = (0..<elementCount(of: shape)).map { _ in lower + (upper - lower) * generator.nextUniform() }
        return Tensor(values, shape: shape, requiresGradient: requiresGradient)
    }

    /// A copy of the values that records nothing and needs no gradient.
    public func detached() -> Tensor { Tensor(storage, shape: shape) }
}
