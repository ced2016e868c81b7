import DuetTensor

/// Adam with decoupled weight decay, as `torch.optim.AdamW` (Loshchilov & Hutter, 2019):
///
/// `θ ← θ·(1 − lr·λ)`, `m ← β₁m + (1 − β₁)g`, `v ← β₂v + (1 − β₂)g²`,
/// `θ ← θ − (lr/(1 − β₁ᵗ))·m / (√v/√(1 − β₂ᵗ) + ε)`.
///
/// The scalar factors are computed in Float64 as PyTorch does in Python, the element updates in
/// Float32. A parameter without a gradient in a step is left untouched (and its moments too).
public final class AdamW {
    /// Parameters with their dotted names (used to save and restore the moments).
    public let parameters: [(name: String, parameter: Tensor)]
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public var weightDecay: Float
    /// Which parameters are decayed (by name); all by default, as PyTorch with one group.
    public let decays: (String) -> Bool
    /// Steps taken so far (PyTorch's `state['step']`).
    public internal(set) var step = 0
    var firstMoments: [[Float]]
    var secondMoments: [[Float]]

    /// - Parameters:
    ///   - parameters: typically `model.namedParameters()`.
    ///   - learningRate: PyTorch default 1e-3.
    ///   - betas: PyTorch default (0.9, 0.999).
    ///   - epsilon: PyTorch default 1e-8.
    ///   - weightDecay: λ, PyTorch default 1e-2.
    public init(
        parameters: [(name: String, parameter: Tensor)], learningRate: Float = 1e-3,
        betas: (Float, Float) = (0.9, 0.999), epsilon: Float = 1e-8, weightDecay: Float = 1e-2,
        decays: @escaping (String) -> Bool = { _ in true }
    ) {
        self.parameters = parameters
        self.learningRate = learningRate
        beta1 = betas.0
        beta2 = betas.1
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decays = decays
        firstMoments = parameters.map { [Float](repeating: 0, count: $0.parameter.count) }
        secondMoments = firstMoments
    }

    /// One update of every parameter that has a gradient, with the current `learningRate`.
    public func update() {
        step += 1
        let learningRate = Double(self.learningRate)
        let firstCorrection = 1 - Double.pow(Double(beta1), step)
        let secondCorrectionRoot = (1 - Double.pow(Double(beta2), step)).squareRoot()
        let stepSize = Float(learningRate / firstCorrection)
        let inverseCorrection = Float(1 / secondCorrectionRoot)
        let beta1 = self.beta1, beta2 = self.beta2, epsilon = self.epsilon
        for (index, (name, parameter)) in parameters.enumerated() {
            guard let gradient = parameter.gradient else { continue }
            let decay = decays(name) ? Float(1 - learningRate * Double(weightDecay)) : 1
            parameter.withMutableStorage { values in
                values.withUnsafeMutableBufferPointer { theta in
                    firstMoments[index].withUnsafeMutableBufferPointer { m in
                        secondMoments[index].withUnsafeMutableBufferPointer { v in
                            gradient.withUnsafeBufferPointer { g in
                                for element in 0..<theta.count {
                                    let gradientValue = g[element]
                                    let first = beta1 * m[element] + (1 - beta1) * gradientValue
                                    let second = beta2 * v[element] + (1 - beta2) * gradientValue * gradientValue
                                    m[element] = first
                                    v[element] = second
                                    let denominator = second.squareRoot() * inverseCorrection + epsilon
                                    theta[element] = theta[element] * decay - stepSize * first / denominator
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

extension Double {
    static func pow(_ base: Double, _ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<exponent { result *= base }
        return result
    }
}
