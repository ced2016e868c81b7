import DuetModel
import DuetRandom
import DuetTensor
import Foundation
import Testing

@Suite("Feature standardisation")
struct FeatureStandardizationTests {
    /// Rows with a large shared offset and small per-channel spread, like e5's token states.
    private func offsetBlocks(width: Int, using generator: inout SeededGenerator) -> [[Float]] {
        (0..<30).map { block in
            let rows = 1 + block % 7
            return (0..<(rows * width)).map { index in
                Float(index % width) + 0.5 + 0.1 * Float(index % width + 1) * Float.random(in: -1...1, using: &generator)
            }
        }
    }

    @Test func estimatedMapCentresAndScalesEveryChannel() throws {
        var generator = SeededGenerator(seed: 4)
        let width = 5
        let blocks = offsetBlocks(width: width, using: &generator)
        let standardization = try #require(FeatureStandardization.estimate(from: blocks, width: width))
        let rows = blocks.joined().count / width
        let mapped = standardization(Tensor(Array(blocks.joined()), shape: [rows, width])).storage
        for channel in 0..<width {
            let column = stride(from: channel, to: mapped.count, by: width).map { Double(mapped[$0]) }
            let mean = column.reduce(0, +) / Double(rows)
            let variance = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(rows)
            // Float32 rounding of values about `channel` in size, over `rows` terms.
            #expect(abs(mean) < 1e-4, "channel \(channel) mean \(mean)")
            #expect(abs(variance - 1) < 1e-3, "channel \(channel) variance \(variance)")
        }
    }

    @Test func mapIsTheAffineFormulaOnAnyLeadingShape() {
        let standardization = FeatureStandardization(mean: [1, -2, 0.5], scale: [2, 0.5, 4])
        let input = Tensor([1, 0, 0.5, 3, -2, 1, 0, 0, 0, -1, 2, 0.25], shape: [2, 2, 3])
        let output = standardization(input)
        #expect(output.shape == [2, 2, 3])
        #expect(output.storage == [0, 1, 0, 4, 0, 2, -2, 1, -2, -4, 2, -1])
    }

    @Test func constantChannelIsNotBlownUpAndNoRowsGiveNoMap() throws {
        let standardization = try #require(FeatureStandardization.estimate(from: [[3, 1, 3, 2, 3, 3]], width: 2))
        #expect(standardization.mean == [3, 2])
        #expect(standardization.scale[0] == Float(1 / FeatureStandardization.varianceFloor.squareRoot()))
        #expect(FeatureStandardization.estimate(from: [[Float]](), width: 2) == nil)
    }

    @Test func configurationRoundTripsAndRefusesADamagedMap() throws {
        var configuration = ModelConfiguration()
        configuration.textWidth = 3
        configuration.textStandardization = FeatureStandardization(mean: [1, 2, 3], scale: [1, 0.5, 0.25])
        let data = try JSONEncoder().encode(configuration)
        #expect(try JSONDecoder().decode(ModelConfiguration.self, from: data) == configuration)

        // Older checkpoints have no map.
        var plain = ModelConfiguration()
        plain.textWidth = 3
        #expect(try JSONDecoder().decode(ModelConfiguration.self, from: JSONEncoder().encode(plain)).textStandardization == nil)

        var object = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        object["textStandardization"] = ["mean": [1, 2], "scale": [1, 1]]
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ModelConfiguration.self, from: JSONSerialization.data(withJSONObject: object))
        }
        object["textStandardization"] = ["mean": [1, 2, 3], "scale": [1, 0, 1]]
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ModelConfiguration.self, from: JSONSerialization.data(withJSONObject: object))
        }
        object["textStandardization"] = ["mean": [1, 2, 3, 4], "scale": [1, 1, 1, 1]]
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ModelConfiguration.self, from: JSONSerialization.data(withJSONObject: object))
        }
    }

    @Test func modelAppliesTheMapBeforeItsTextBranch() {
        var configuration = ModelConfiguration()
        configuration.embeddingWidth = 8
        configuration.feedForwardWidth = 16
        configuration.textWidth = 4
        configuration.dropout = 0
        let mean: [Float] = [5, -3, 2, 0.5]
        let scale: [Float] = [0.5, 2, 1, 4]
        var standardized = configuration
        standardized.textStandardization = FeatureStandardization(mean: mean, scale: scale)
        let plain = MusicTextModel(configuration: configuration, seed: 9)
        let withMap = MusicTextModel(configuration: standardized, seed: 9)
        plain.eval()
        withMap.eval()
        var generator = SeededGenerator(seed: 10)
        let states = Tensor.randomNormal([2, 3, 4], using: &generator)
        let mapped = Tensor((0..<24).map { (states.storage[$0] - mean[$0 % 4]) * scale[$0 % 4] }, shape: [2, 3, 4])
        let padding = [false, false, true, false, false, false]
        let expected = withoutGradient { plain.embedText(mapped, keyPadding: padding) }.storage
        let actual = withoutGradient { withMap.embedText(states, keyPadding: padding) }.storage
        // Same seed, same weights, same input after the map: the same operations in the same order.
        #expect(actual == expected)
    }
}
