import DuetOptim
import DuetTensor
import Foundation
import Testing

@Suite struct WeightAverageTests {
    struct Failure: Error {}

    @Test func followsTheWarmedUpMovingAverage() {
        let weight = Tensor([1, 2], shape: [2], requiresGradient: true)
        let average = WeightAverage(parameters: [("w", weight)], decay: 0.5)
        weight.assign([3, 6])
        average.update()  // d = min(0.5, 1/10) = 0.1: a = 0.1·(1, 2) + 0.9·(3, 6)
        weight.assign([5, 10])
        average.update()  // d = min(0.5, 2/11) = 2/11
        let first: [Float] = [0.1 * 1 + 0.9 * 3, 0.1 * 2 + 0.9 * 6]
        let decay: Float = 2 / 11
        let expected = [decay * first[0] + (1 - decay) * 5, decay * first[1] + (1 - decay) * 10]
        let averaged = average.withAveragedParameters { weight.storage }
        for index in 0..<2 { #expect(abs(averaged[index] - expected[index]) < 1e-5, "\(averaged) vs \(expected)") }
        #expect(weight.storage == [5, 10], "the trained values are back")
        #expect(average.updates == 2)
    }

    @Test func restoresTheTrainedValuesWhenTheBodyThrows() {
        let weight = Tensor([1, 2, 3], shape: [3], requiresGradient: true)
        let average = WeightAverage(parameters: [("w", weight)], decay: 0.9)
        weight.assign([4, 5, 6])
        #expect(throws: Failure.self) { try average.withAveragedParameters { throw Failure() } }
        #expect(weight.storage == [4, 5, 6])
    }

    @Test func savesAndRestoresStrictly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-average-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let weight = Tensor([1, 2], shape: [2], requiresGradient: true), bias = Tensor([0.5], shape: [1], requiresGradient: true)
        let average = WeightAverage(parameters: [("w", weight), ("b", bias)], decay: 0.9)
        weight.assign([2, 4])
        average.update()
        let file = folder.appendingPathComponent("average.safetensors")
        try average.saveState(to: file)

        let restored = WeightAverage(parameters: [("w", weight), ("b", bias)], decay: 0.9)
        try restored.restoreState(from: file)
        #expect(restored.updates == 1)
        #expect(restored.withAveragedParameters { weight.storage + bias.storage } == average.withAveragedParameters { weight.storage + bias.storage })

        let other = WeightAverage(parameters: [("w", weight)], decay: 0.9)
        #expect(throws: (any Error).self) { try other.restoreState(from: file) }  // 'b.average' is not its
        let missing = WeightAverage(parameters: [("w", weight), ("b", bias), ("c", bias)], decay: 0.9)
        #expect(throws: (any Error).self) { try missing.restoreState(from: file) }
    }
}
