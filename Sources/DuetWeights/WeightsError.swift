import Foundation

/// Why a weight file could not be read, written or mapped onto a model.
public enum WeightsError: LocalizedError, Equatable {
    case missingFile(path: String, hint: String)
    case malformed(path: String, reason: String)
    case missingKey(name: String, path: String)
    case unexpectedKeys(names: [String], path: String)
    case shapeMismatch(name: String, expected: [Int], found: [Int], path: String)
    case unsupportedDataType(name: String, dataType: String, path: String)
    case checksumMismatch(name: String, path: String)
    case writeFailed(path: String, reason: String)
    case nonFinite(name: String, index: Int, value: Float, path: String)

    public var errorDescription: String? {
        switch self {
        case .missingFile(let path, let hint):
            "weight file not found: \(path). \(hint)"
        case .malformed(let path, let reason):
            "\(path): not a valid weight file: \(reason)"
        case .missingKey(let name, let path):
            "\(path): missing weight '\(name)'"
        case .unexpectedKeys(let names, let path):
            "\(path): unexpected weights \(names.sorted().prefix(10).joined(separator: ", "))\(names.count > 10 ? " (and \(names.count - 10) more)" : "")"
        case .shapeMismatch(let name, let expected, let found, let path):
            "\(path): weight '\(name)' has shape \(found), expected \(expected)"
        case .unsupportedDataType(let name, let dataType, let path):
            "\(path): weight '\(name)' has unsupported data type \(dataType)"
        case .checksumMismatch(let name, let path):
            "\(path): weight '\(name)' fails its checksum; the file is corrupt (run `make setup` again)"
        case .writeFailed(let path, let reason):
            "could not write \(path): \(reason)"
        case .nonFinite(let name, let index, let value, let path):
            "\(path): weight '\(name)' holds \(value) at element \(index); the file is corrupt or came from a diverged training"
        }
    }
}
