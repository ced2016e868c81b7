import DuetEncoders
import DuetTensor
import DuetTraining
import Foundation

extension SearchModel {
    /// The query's embedding: the locked text encoder's token states (the one the model was trained
    /// on: MiniLM, multilingual-e5-small for queries in any language, or a tower from its weights folder, whose
    /// fingerprint must be the recorded one) through the model's text branch, L2-normalised,
    /// `[dimension]`. Surrounding white space is ignored.
    /// - Throws: `SearchError.emptyQuery`, or the text encoder's loading errors.
    public func embedText(_ text: String) throws -> [Float] {
        try embedTexts([text])[0]
    }

    /// `embedText` for several queries in one batch (padded to the longest; padding is masked, so
    /// each row equals its single-query embedding up to float32 rounding).
    public func embedTexts(_ texts: [String]) throws -> [[Float]] {
        let trimmed = texts.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard !trimmed.isEmpty, trimmed.allSatisfy({ !$0.isEmpty }) else { throw SearchError.emptyQuery }
        let encoder = try encoders.text(model.configuration.textEncoderSelection)
        let states: [[Float]] = try encoder.tokenStatesPerText(trimmed, progress: nil)
        let (padded, keyPadding) = TrainingData.padded(states, width: model.configuration.textWidth)
        let flat: [Float] = forwardLock.withLock {
            withoutGradient { model.embedText(padded, keyPadding: keyPadding).l2Normalized().storage }
        }
        let width = dimension
        return (0..<trimmed.count).map { Array(flat[($0 * width)..<(($0 + 1) * width)]) }
    }
}
