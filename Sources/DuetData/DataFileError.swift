import Foundation

/// A data file (vocabulary, dictionary, views, prompt) that cannot be read or understood.
public enum DataFileError: Error, LocalizedError, Equatable {
    case unreadable(path: String, reason: String)
    case malformed(path: String, line: Int?, reason: String)

    public var errorDescription: String? {
        switch self {
        case .unreadable(let path, let reason):
            return "\(path): cannot read the file (\(reason)); check the path and permissions."
        case .malformed(let path, let line, let reason):
            let location = line.map { "\(path):\($0)" } ?? path
            return "\(location): \(reason)"
        }
    }
}
