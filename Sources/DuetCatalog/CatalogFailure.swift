/// A file that could not be indexed, with the reason. It is not retried while its size and
/// modification time stay the same.
public struct CatalogFailure: Sendable, Equatable, Codable {
    /// Why a file failed, in the words a user sees in `duet index --failures`.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Not a format the decoder recognises, or a damaged header.
        case corrupt
        /// The audio data ends before the header says it should.
        case truncated
        /// Every decoded sample is (numerically) zero.
        case silent
        /// Shorter than the shortest audio the model can embed.
        case tooShort = "too short"
        /// The file cannot be opened or read (permissions, I/O error, vanished).
        case unreadable
    }

    public var path: String
    public var size: Int64
    public var modified: Double
    public var kind: Kind
    /// The full message, naming the file and what to do.
    public var message: String

    public init(path: String, size: Int64, modified: Double, kind: Kind, message: String) {
        self.path = path
        self.size = size
        self.modified = modified
        self.kind = kind
        self.message = message
    }
}
