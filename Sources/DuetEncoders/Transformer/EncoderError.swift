import Foundation

/// Configuration and input problems of the locked text encoders ported from `transformers` (CLIP's
/// text tower, the T5 encoder), each naming what a user can fix. Weight-file problems are
/// `DuetWeights.WeightsError` (a missing, extra or mis-shaped key, named). BERT and RoBERTa keep
/// ``BertError``.
public enum EncoderError: Error, LocalizedError, Equatable {
    case unreadableConfiguration(model: String, path: String, reason: String)
    case unsupportedConfiguration(model: String, path: String, reason: String)
    /// A buffer stored with the weights does not hold the values the model assumes.
    case unexpectedBuffer(name: String, path: String, reason: String)
    /// A token id outside the vocabulary, an empty sentence, or one longer than the position table.
    case invalidInput(model: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case let .unreadableConfiguration(model, path, reason):
            return "Cannot read the \(model) configuration \(path): \(reason). Check that the folder holds the checkpoint's config.json."
        case let .unsupportedConfiguration(model, path, reason):
            return "The \(model) configuration \(path) is not supported: \(reason)."
        case let .unexpectedBuffer(name, path, reason):
            return "\(path): buffer '\(name)' \(reason)."
        case let .invalidInput(model, reason):
            return "Invalid \(model) input: \(reason)."
        }
    }
}
