import DuetWeights
import Foundation

/// musicnn's 64 inference tensors, mapped strictly from the TensorFlow checkpoint.
///
/// Checkpoint names follow the layer creation order in `musicnn/models.py`: `batch_normalization`
/// (input), `conv2d` + `batch_normalization_1` (timbral 7x38), `conv2d_1` + `_2` (timbral 7x67),
/// `conv2d_2..4` + `_3..5` (temporal 128/64/32), `conv2d_5..7` + `_6..8` (mid-end), `batch_normalization_9`
/// (pooled 1506), `dense` + `batch_normalization_10` (200), `dense_1` (50). Kernels keep TensorFlow's
/// `[height, width, in, out]` layout, which read row-major is the `[K, out]` matrix im2col needs.
public struct MusiCNNWeights: Sendable {
    /// A convolution or dense layer: `kernel` is `[K, outputs]` row-major.
    struct Linear: Sendable {
        let kernel: [Float]
        let bias: [Float]
        var outputCount: Int { bias.count }
    }

    let inputNorm: FoldedBatchNorm
    /// Timbral convolutions (7x38, 7x67) and their batch norms.
    let timbral: [(convolution: Linear, norm: FoldedBatchNorm)]
    /// Temporal convolutions (128, 64, 32 frames) and their batch norms.
    let temporal: [(convolution: Linear, norm: FoldedBatchNorm)]
    /// Mid-end convolutions (7 frames over 561, 64, 64 channels) and their batch norms.
    let midEnd: [(convolution: Linear, norm: FoldedBatchNorm)]
    let poolNorm: FoldedBatchNorm
    let penultimate: Linear
    let penultimateNorm: FoldedBatchNorm
    let output: Linear

    /// Every checkpoint name with the shape it must have.
    static func expectedShapes(_ configuration: MusiCNNConfiguration) -> [String: [Int]] {
        let timbral = configuration.timbralFilterCount, temporal = configuration.temporalFilterCount
        let midEnd = configuration.midEndFilterCount, units = configuration.backEndUnitCount
        var shapes: [String: [Int]] = [:]
        func norm(_ index: Int, _ channels: Int) {
            let name = index == 0 ? "batch_normalization" : "batch_normalization_\(index)"
            for parameter in ["gamma", "beta", "moving_mean", "moving_variance"] { shapes["\(name)/\(parameter)"] = [channels] }
        }
        func layer(_ name: String, _ kernel: [Int]) {
            shapes["\(name)/kernel"] = kernel
            shapes["\(name)/bias"] = [kernel.last ?? 0]
        }
        norm(0, 1)
        for (index, width) in configuration.timbralKernelWidths.enumerated() {
            layer(index == 0 ? "conv2d" : "conv2d_\(index)", [configuration.timbralKernelHeight, width, 1, timbral])
            norm(1 + index, timbral)
        }
        for (index, length) in configuration.temporalKernelLengths.enumerated() {
            layer("conv2d_\(2 + index)", [length, 1, 1, temporal])
            norm(3 + index, temporal)
        }
        for index in 0..<3 {
            layer("conv2d_\(5 + index)", [7, index == 0 ? configuration.frontEndChannelCount : midEnd, 1, midEnd])
            norm(6 + index, midEnd)
        }
        norm(9, 2 * configuration.midEndChannelCount)
        layer("dense", [2 * configuration.midEndChannelCount, units])
        norm(10, units)
        layer("dense_1", [units, configuration.classCount])
        return shapes
    }

    /// Reads and checks every tensor of a checkpoint (optimiser slots are ignored).
    public init(checkpoint: TensorFlowCheckpoint, configuration: MusiCNNConfiguration) throws {
        let mapped = Self.expectedShapes(configuration)
        var tensors: [String: (shape: [Int], values: [Float])] = [:]
        for name in checkpoint.parameterNames {
            guard let entry = checkpoint.entries[name] else { continue }
            // Only mapped names are read; the strict check below still sees every stored name.
            tensors[name] = (entry.shape, mapped[name] == nil ? [] : try checkpoint.floats(named: name))
        }
        try self.init(tensors: tensors, configuration: configuration, source: checkpoint.prefix + ".index")
    }

    /// Maps named tensors (TensorFlow names and shapes) strictly. Throws `WeightsError.missingKey`,
    /// `.shapeMismatch` or `.unexpectedKeys` naming the offending variable and `source`.
    public init(tensors: [String: (shape: [Int], values: [Float])], configuration: MusiCNNConfiguration, source: String) throws {
        let shapes = Self.expectedShapes(configuration)
        let extra = Set(tensors.keys).subtracting(shapes.keys)
        guard extra.isEmpty else { throw WeightsError.unexpectedKeys(names: extra.sorted(), path: source) }
        var values: [String: [Float]] = [:]
        for name in shapes.keys.sorted() {
            let shape = shapes[name]!
            guard let tensor = tensors[name] else { throw WeightsError.missingKey(name: name, path: source) }
            guard tensor.shape == shape, tensor.values.count == shape.reduce(1, *) else {
                throw WeightsError.shapeMismatch(name: name, expected: shape, found: tensor.shape, path: source)
            }
            values[name] = tensor.values
        }
        func norm(_ number: Int) -> FoldedBatchNorm {
            let name = number == 0 ? "batch_normalization" : "batch_normalization_\(number)"
            return FoldedBatchNorm(
                gamma: values["\(name)/gamma"]!, beta: values["\(name)/beta"]!,
                mean: values["\(name)/moving_mean"]!, variance: values["\(name)/moving_variance"]!)
        }
        func linear(_ name: String) -> Linear { Linear(kernel: values["\(name)/kernel"]!, bias: values["\(name)/bias"]!) }
        inputNorm = norm(0)
        timbral = [(linear("conv2d"), norm(1)), (linear("conv2d_1"), norm(2))]
        temporal = (0..<3).map { (linear("conv2d_\(2 + $0)"), norm(3 + $0)) }
        midEnd = (0..<3).map { (linear("conv2d_\(5 + $0)"), norm(6 + $0)) }
        poolNorm = norm(9)
        penultimate = linear("dense")
        penultimateNorm = norm(10)
        output = linear("dense_1")
    }

    /// Loads `<models>/musicnn/<model>/` (checkpoint and `config.json`) from the model cache.
    /// A missing cache is a `WeightsError.missingFile` telling the user to run `make setup`.
    public static func load(_ model: MusiCNNModel, modelsDirectory: URL? = nil) throws -> (MusiCNNWeights, MusiCNNConfiguration) {
        let directory: URL
        if let modelsDirectory {
            directory = modelsDirectory.appendingPathComponent("musicnn/\(model.rawValue)")
            guard FileManager.default.fileExists(atPath: directory.appendingPathComponent(".index").path) else {
                throw WeightsError.missingFile(path: directory.appendingPathComponent(".index").path,
                                               hint: "Run `make setup` to unpack the musicnn weights (or set DUET_MODELS).")
            }
        } else {
            directory = try ModelCache.require("musicnn/\(model.rawValue)/.index").deletingLastPathComponent()
        }
        let configURL = directory.appendingPathComponent("config.json")
        let configuration: MusiCNNConfiguration
        do {
            configuration = try JSONDecoder().decode(MusiCNNConfiguration.self, from: Data(contentsOf: configURL))
        } catch {
            throw WeightsError.malformed(path: configURL.path, reason: "\(error)")
        }
        let checkpoint = try TensorFlowCheckpoint(directory: directory)
        return (try MusiCNNWeights(checkpoint: checkpoint, configuration: configuration), configuration)
    }
}
