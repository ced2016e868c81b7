import DuetRandom
import Foundation
import Testing
@testable import DuetTraining

@Suite struct TokenDropoutTests {
    /// Three texts of 5, 2 and 1 tokens in a batch padded to 5.
    static let padding: [Bool] = [
        false, false, false, false, false,
        false, false, true, true, true,
        false, true, true, true, true,
    ]

    @Test func rateZeroDrawsNothingAndChangesNothing() {
        var generator = SeededGenerator(seed: 3)
        var untouched = SeededGenerator(seed: 3)
        #expect(TokenDropout.apply(to: Self.padding, batch: 3, rate: 0, using: &generator) == Self.padding)
        #expect(generator.next() == untouched.next())
    }

    @Test func dropsOnlyTokensKeepsOneOfEachTextAndIsSeeded() {
        var generator = SeededGenerator(seed: 11)
        var dropped = 0
        var tokens = 0
        for _ in 0..<2000 {
            let result = TokenDropout.apply(to: Self.padding, batch: 3, rate: 0.3, using: &generator)
            for (index, padded) in Self.padding.enumerated() where padded { #expect(result[index]) }
            for row in 0..<3 { #expect(result[(row * 5)..<(row * 5 + 5)].contains(false), "row \(row) lost every token") }
            tokens += 8
            dropped += zip(Self.padding, result).filter { !$0 && $1 }.count
        }
        // Each of the 8 tokens is drawn with probability 0.3; the one-token text always keeps its token and
        // the two-token text keeps one when both are drawn, so the expected share is (5·0.3 + 2·0.3 − 0.09) / 8.
        let expected: Double = (5 * 0.3 + 2 * 0.3 - 0.09) / 8
        let share = Double(dropped) / Double(tokens)
        #expect(abs(share - expected) < 0.015, "dropped \(share), expected \(expected)")
        var first = SeededGenerator(seed: 5)
        var second = SeededGenerator(seed: 5)
        #expect(TokenDropout.apply(to: Self.padding, batch: 3, rate: 0.5, using: &first)
            == TokenDropout.apply(to: Self.padding, batch: 3, rate: 0.5, using: &second))
    }

    @Test func configurationReadsWritesAndChecksTheRate() throws {
        var configuration = TrainingConfiguration()
        let plain = String(decoding: try JSONEncoder().encode(configuration), as: UTF8.self)
        #expect(!plain.contains("textTokenDropout"))
        configuration.textTokenDropout = 0.2
        let data = try JSONEncoder().encode(configuration)
        #expect(try JSONDecoder().decode(TrainingConfiguration.self, from: data).textTokenDropout == 0.2)
        configuration.textTokenDropout = 1
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
    }
}

@Suite struct TextAnchorWeightTests {
    @Test func configurationReadsWritesAndChecksTheWeight() throws {
        var configuration = TrainingConfiguration()
        #expect(!String(decoding: try JSONEncoder().encode(configuration), as: UTF8.self).contains("textAnchorWeight"))
        configuration.textAnchorWeight = 0.5
        let data = try JSONEncoder().encode(configuration)
        #expect(try JSONDecoder().decode(TrainingConfiguration.self, from: data).textAnchorWeight == 0.5)
        configuration.textAnchorWeight = -1
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
    }
}
