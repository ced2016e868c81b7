import DuetRandom
import DuetTensor

/// The outcome of comparing analytic gradients with central finite differences.
public struct GradientCheckReport: CustomStringConvertible, Sendable {
    /// Largest `|analytic - numeric|` over every checked element.
    public var largestAbsoluteDifference: Float = 0
    /// Elements where the difference exceeded `absoluteTolerance + relativeTolerance * |numeric|`.
    public var failures: [String] = []
    public var checkedElements = 0

    public var passed: Bool { failures.isEmpty && checkedElements > 0 }

    public var description: String {
        "checked \(checkedElements) elements, largest difference \(largestAbsoluteDifference)"
            + (failures.isEmpty ? "" : "; failures: " + failures.prefix(5).joined(separator: "; "))
    }
}

/// Checks the tape's gradients of `function` against central finite differences.
///
/// The output is reduced to a scalar through a fixed random projection, `L = Σ w ⊙ f(x)`, so every
/// output element contributes with a distinct weight. Float32 central differences with step `h`
/// have truncation error `O(h²)` and rounding error about `ε·|L|/h` (ε ≈ 6e-8); with the default
/// `h = 1e-2` on inputs of order 1 both stay below 1e-3, which is why the default tolerances are
/// `atol = 2e-3, rtol = 2e-2`. The loss is accumulated in Float64 to keep rounding out of it.
///
/// - Parameters:
///   - inputs: leaves created with `requiresGradient: true`; each element is perturbed in turn.
///   - function: builds the output from the inputs; called once with recording and twice per element without.
public func checkGradients(
    of inputs: [Tensor], step: Float = 1e-2, absoluteTolerance: Float = 2e-3,
    relativeTolerance: Float = 2e-2, seed: UInt64 = 7, _ function: ([Tensor]) -> Tensor
) -> GradientCheckReport {
    for input in inputs { input.zeroGradient() }
    let output = function(inputs)
    var generator = SeededGenerator(seed: seed)
    let weights = (0..<output.count).map { _ in generator.nextUniform() * 2 - 1 }
    let weightTensor = Tensor(weights, shape: output.shape)
    (output * weightTensor).sum().backward()

    func projected(_ tensor: Tensor) -> Double {
        zip(tensor.storage, weights).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }

    var report = GradientCheckReport()
    for (inputIndex, input) in inputs.enumerated() {
        let analytic = input.gradient ?? [Float](repeating: 0, count: input.count)
        for element in 0..<input.count {
            let original = input.storage[element]
            input.setElement(element, to: original + step)
            let plus = withoutGradient { projected(function(inputs)) }
            input.setElement(element, to: original - step)
            let minus = withoutGradient { projected(function(inputs)) }
            input.setElement(element, to: original)
            let numeric = Float((plus - minus) / (2 * Double(step)))
            let difference = abs(analytic[element] - numeric)
            report.largestAbsoluteDifference = max(report.largestAbsoluteDifference, difference)
            report.checkedElements += 1
            if difference > absoluteTolerance + relativeTolerance * abs(numeric) {
                report.failures.append("input \(inputIndex)[\(element)]: analytic \(analytic[element]), numeric \(numeric)")
            }
        }
    }
    return report
}
