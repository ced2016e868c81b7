@testable import DuetEncoders
import DuetWeights
import Testing

/// Weight-free checks of the mapping rules and of the back end's layout.
@Suite("musicnn structure")
struct MusiCNNStructureTests {
    /// Every expected tensor, zero-filled, with batch-norm variances of 1 - epsilon (identity norms).
    static func identityTensors(_ configuration: MusiCNNConfiguration) -> [String: (shape: [Int], values: [Float])] {
        var tensors: [String: (shape: [Int], values: [Float])] = [:]
        for (name, shape) in MusiCNNWeights.expectedShapes(configuration) {
            let count = shape.reduce(1, *)
            let value: Float = name.hasSuffix("gamma") ? 1 : name.hasSuffix("moving_variance") ? 1 - FoldedBatchNorm.epsilon : 0
            tensors[name] = (shape, [Float](repeating: value, count: count))
        }
        return tensors
    }

    @Test func sixtyFourTensorsAnd792079Parameters() {
        let shapes = MusiCNNWeights.expectedShapes(MusiCNNConfiguration())
        #expect(shapes.count == 64)
        #expect(shapes.values.reduce(0) { $0 + $1.reduce(1, *) } == 792_079)
        #expect(shapes["conv2d_1/kernel"] == [7, 67, 1, 204])
        #expect(shapes["conv2d_5/kernel"] == [7, 561, 1, 64])
    }

    @Test func missingExtraAndMisshapedKeysAreNamed() {
        let configuration = MusiCNNConfiguration()
        var missing = Self.identityTensors(configuration)
        missing["dense/bias"] = nil
        #expect(throws: WeightsError.missingKey(name: "dense/bias", path: "test")) {
            try MusiCNNWeights(tensors: missing, configuration: configuration, source: "test")
        }
        var extra = Self.identityTensors(configuration)
        extra["conv2d_8/kernel"] = ([1], [0])
        #expect(throws: WeightsError.unexpectedKeys(names: ["conv2d_8/kernel"], path: "test")) {
            try MusiCNNWeights(tensors: extra, configuration: configuration, source: "test")
        }
        var misshaped = Self.identityTensors(configuration)
        misshaped["conv2d/kernel"] = ([7, 37, 1, 204], [Float](repeating: 0, count: 7 * 37 * 204))
        #expect(throws: WeightsError.shapeMismatch(name: "conv2d/kernel", expected: [7, 38, 1, 204], found: [7, 37, 1, 204], path: "test")) {
            try MusiCNNWeights(tensors: misshaped, configuration: configuration, source: "test")
        }
    }

    /// The flattened pool is (max_0, mean_0, max_1, mean_1, ...): with identity norms, a dense layer that
    /// copies input 2 (max of channel 1) to unit 0 and input 3 (mean of channel 1) to unit 1 must see them.
    @Test func pooledFlattenInterleavesMaxAndMean() throws {
        let configuration = MusiCNNConfiguration()
        var tensors = Self.identityTensors(configuration)
        var kernel = [Float](repeating: 0, count: 1506 * 200)
        kernel[2 * 200 + 0] = 1
        kernel[3 * 200 + 1] = 1
        tensors["dense/kernel"] = ([1506, 200], kernel)
        let model = MusiCNN(weights: try MusiCNNWeights(tensors: tensors, configuration: configuration, source: "test"),
                            configuration: configuration)
        var features = [MusiCNNPatchFeatures(
            frameCount: 187, frontEnd: [], midEnd: [], maxPool: (0..<753).map { Float($0) + 0.5 },
            meanPool: (0..<753).map { Float($0) + 0.25 }, penultimate: [], tagProbabilities: [])]
        model.backEnd(&features)
        #expect(abs(features[0].penultimate[0] - 1.5) < 1e-6 && abs(features[0].penultimate[1] - 1.25) < 1e-6,
                "penultimate starts \(features[0].penultimate.prefix(2))")
        #expect(features[0].tagProbabilities.allSatisfy { abs($0 - 0.5) < 1e-6 }, "zero logits give 0.5")
    }

    /// With all-zero weights every layer's output is its batch-norm shift: checks shapes end to end.
    @Test func forwardShapes() throws {
        let configuration = MusiCNNConfiguration()
        let model = MusiCNN(weights: try MusiCNNWeights(tensors: Self.identityTensors(configuration), configuration: configuration, source: "test"),
                            configuration: configuration)
        let outputs = model([[Float](repeating: 1, count: 187 * 96), [Float](repeating: 2, count: 187 * 96)])
        #expect(outputs.count == 2)
        #expect(outputs[0].frontEnd.count == 187 * 561)
        #expect(outputs[0].midEnd.map(\.count) == [187 * 64, 187 * 64, 187 * 64])
        #expect(outputs[0].layers.count == 4 && outputs[0].concatenatedFrame(5).count == 753)
        #expect(outputs[0].penultimate.count == 200 && outputs[0].tagProbabilities.count == 50)
    }
}
