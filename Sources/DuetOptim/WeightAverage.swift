import DuetTensor
import DuetWeights
import Foundation

/// An exponential moving average of the parameters, kept beside the optimiser:
/// `a ← d·a + (1 − d)·θ` after every step, with `d = min(decay, (1 + t)/(10 + t))` at update `t`
/// (the usual warm-up, so that the first steps' random weights fade fast). Evaluating and
/// keeping the averaged weights smooths the last steps' noise, the way a run's seeds differ.
///
/// The trained parameters stay the optimiser's; `withAveragedParameters` swaps the averages in
/// for a body (validation, writing the best checkpoint) and puts the trained values back.
public final class WeightAverage {
    public let parameters: [(name: String, parameter: Tensor)]
    public let decay: Float
    /// Updates so far (for the warm-up; saved with the averages).
    public private(set) var updates = 0
    var averages: [[Float]]

    /// - Parameter decay: in (0, 1); the average's horizon is about 1/(1 − decay) steps.
    public init(parameters: [(name: String, parameter: Tensor)], decay: Float) {
        precondition(decay > 0 && decay < 1, "weight average decay must lie in (0, 1), got \(decay)")
        self.parameters = parameters
        self.decay = decay
        averages = parameters.map(\.parameter.storage)
    }

    /// Folds the current parameters into the averages.
    public func update() {
        let rate = 1 - min(decay, Float(1 + updates) / Float(10 + updates))
        updates += 1
        for (index, (_, parameter)) in parameters.enumerated() {
            let values = parameter.storage
            averages[index].withUnsafeMutableBufferPointer { average in
                for element in 0..<average.count { average[element] += rate * (values[element] - average[element]) }
            }
        }
    }

    /// Runs `body` with the averages in the parameters, then restores the trained values (also
    /// when `body` throws).
    public func withAveragedParameters<Result>(_ body: () throws -> Result) rethrows -> Result {
        let trained = parameters.map(\.parameter.storage)
        for (index, (_, parameter)) in parameters.enumerated() { parameter.assign(averages[index]) }
        defer { for (index, (_, parameter)) in parameters.enumerated() { parameter.assign(trained[index]) } }
        return try body()
    }

    /// Writes the averages (`<name>.average`) and the update count atomically to `url`.
    public func saveState(to url: URL) throws {
        var tensors: [String: Tensor] = [:]
        for (index, (name, parameter)) in parameters.enumerated() {
            tensors[name + ".average"] = Tensor(averages[index], shape: parameter.shape)
        }
        try Safetensors.write(tensors, to: url, metadata: ["updates": String(updates)])
    }

    /// Restores what `saveState` wrote. Strict: a missing, extra or mis-shaped key throws
    /// `WeightsError` naming it, and nothing changes unless everything matches.
    public func restoreState(from url: URL) throws {
        let file = try SafetensorsFile(url: url)
        guard let updates = file.metadata["updates"].flatMap(Int.init) else { throw OptimizerStateError.missingStep(path: url.path) }
        let restored = try file.exactTensorValues(parameters.map { (name: $0.name + ".average", shape: $0.parameter.shape) })
        averages = restored
        self.updates = updates
    }
}
