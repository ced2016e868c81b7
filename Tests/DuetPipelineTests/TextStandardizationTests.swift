@testable import DuetPipeline
import DuetTraining
import Testing

@Suite("Text standardisation of a training run")
struct TextStandardizationTests {
    @Test func estimatedFromDistinctTrainingTextsAtAnEvenStride() throws {
        let width = 2
        // Text i has one token (i, −i); repeats count once.
        let texts = (0..<20_000).map { "text \($0 % 16_384)" }
        var read: [String] = []
        let standardization = try TrainingPipeline.textStandardization(of: texts, width: width) { text in
            read.append(text)
            let index = Float(text.split(separator: " ")[1])!
            return [index, -index]
        }
        // 16,384 distinct texts, at most 8,192 read: every second one, from the first.
        #expect(read.count == TrainingPipeline.standardizationTextLimit)
        #expect(read.first == "text 0" && read[1] == "text 2" && read.last == "text 16382")
        // Mean of 0, 2, ..., 16382.
        #expect(standardization.mean == [8191, -8191])
    }

    @Test func aTextWithoutCachedStatesStopsTheEstimateWithItsError() {
        #expect(throws: TrainingError.self) {
            try TrainingPipeline.textStandardization(of: ["a", "b", "c"], width: 1) { text in
                if text == "b" { throw TrainingError.missingFeatures(what: "text 'b'") }
                return [1]
            }
        }
    }

    @Test func noTokensIsAnErrorNamingWhatIsMissing() {
        #expect(throws: TrainingError.self) {
            try TrainingPipeline.textStandardization(of: [], width: 4) { _ in [] }
        }
    }
}
