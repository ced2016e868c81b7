import DuetTensor
import DuetWeights
import Foundation

/// Why optimiser state could not be restored.
public enum OptimizerStateError: LocalizedError, Equatable {
    case missingStep(path: String)

    public var errorDescription: String? {
        switch self {
        case .missingStep(let path):
            "\(path): optimiser state lacks its step count in the metadata ('step' or 'updates'); it was not written by AdamW.saveState or WeightAverage.saveState"
        }
    }
}

/// Saving and restoring the moments for resuming a run: `<name>.exp_avg` and `<name>.exp_avg_sq`
/// (PyTorch's state keys), the step count in the metadata.
extension AdamW {
    /// The moments by key, for writing next to a checkpoint.
    public func stateTensors() -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (index, (name, parameter)) in parameters.enumerated() {
            result[name + ".exp_avg"] = Tensor(firstMoments[index], shape: parameter.shape)
            result[name + ".exp_avg_sq"] = Tensor(secondMoments[index], shape: parameter.shape)
        }
        return result
    }

    /// Writes the moments and step atomically to `url`.
    public func saveState(to url: URL) throws {
        try Safetensors.write(stateTensors(), to: url, metadata: ["step": String(step)])
    }

    /// Restores moments and step written by `saveState`. Strict: a missing, extra or mis-shaped
    /// key throws `WeightsError` naming it, and nothing changes unless everything matches.
    public func restoreState(from url: URL) throws {
        let file = try SafetensorsFile(url: url)
        guard let step = file.metadata["step"].flatMap(Int.init) else { throw OptimizerStateError.missingStep(path: url.path) }
        let moments = try file.exactTensorValues(parameters.flatMap { name, parameter in
            [(name: name + ".exp_avg", shape: parameter.shape), (name: name + ".exp_avg_sq", shape: parameter.shape)]
        })
        firstMoments = stride(from: 0, to: moments.count, by: 2).map { moments[$0] }
        secondMoments = stride(from: 1, to: moments.count, by: 2).map { moments[$0] }
        self.step = step
    }
}
