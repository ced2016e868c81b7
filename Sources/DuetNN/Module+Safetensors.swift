import DuetTensor
import DuetWeights
import Foundation

/// Checkpoint I/O by dotted parameter name, as safetensors (F32), loadable by PyTorch's
/// `load_state_dict` for a module with the same keys.
extension Module {
    /// The parameters as a name → tensor map (the values, not the live parameters).
    public func stateDictionary() -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (name, parameter) in namedParameters() { result[name] = parameter.detached() }
        return result
    }

    /// Writes every parameter to `url` atomically.
    public func saveParameters(to url: URL, metadata: [String: String] = [:]) throws {
        try Safetensors.write(stateDictionary(), to: url, metadata: metadata)
    }

    /// Loads every parameter from `url`. Strict: a missing key, an extra key or a shape that
    /// differs throws `WeightsError` naming the key, and nothing is changed unless all keys match.
    public func loadParameters(from url: URL) throws {
        try loadParameters(from: SafetensorsFile(url: url))
    }

    /// Loads every parameter from an opened file; see `loadParameters(from: URL)`.
    public func loadParameters(from file: SafetensorsFile) throws {
        let named = namedParameters()
        let expected = Set(named.map(\.name))
        let extra = file.names.filter { !expected.contains($0) }
        var values: [(Tensor, Tensor)] = []
        for (name, parameter) in named {
            values.append((parameter, try file.tensor(named: name, expectedShape: parameter.shape)))
        }
        if !extra.isEmpty { throw WeightsError.unexpectedKeys(names: extra, path: file.url.path) }
        for (parameter, value) in values { parameter.assign(value.storage) }
    }
}
