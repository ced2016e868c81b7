import DuetRandom
import Foundation

/// An append-only JSONL cache of language-model answers, so a rerun resumes without asking again.
///
/// Each line is `{"caption": "...", "key": "<16 hex digits>"}` where the key hashes (FNV-1a 64)
/// the model name and the exact messages sent. A torn last line (a crash mid-write) is ignored.
public final class CaptionCache: @unchecked Sendable {
    public let url: URL
    private let lock = NSLock()
    private var entries: [String: String] = [:]
    private var handle: FileHandle?

    private struct Line: Codable {
        var key: String
        var caption: String
    }

    public init(url: URL) throws {
        self.url = url
        if FileManager.default.fileExists(atPath: url.path) {
            let text = (try? TextFile.read(url)) ?? ""
            for line in TextFile.lines(of: text) where !line.isEmpty {
                if let decoded = try? JSONDecoder().decode(Line.self, from: Data(line.utf8)) { entries[decoded.key] = decoded.caption }
            }
            if !text.isEmpty, !text.hasSuffix("\n"), !text.hasSuffix("\r\n"), !text.hasSuffix("\r") {
                // Close a torn line so the next append starts on its own line.
                try Self.append(Data("\n".utf8), to: url)
            }
        } else if !FileManager.default.createFile(atPath: url.path, contents: nil) {
            throw DataFileError.unreadable(path: url.path, reason: "cannot create the cache file")
        }
        handle = try FileHandle(forWritingTo: url)
        try handle?.seekToEnd()
    }

    deinit { try? handle?.close() }

    private static func append(_ data: Data, to url: URL) throws {
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: data)
        try handle.close()
    }

    /// The cache key of a request.
    public static func key(model: String, messages: [ChatMessage]) -> String {
        var text = model
        for message in messages { text += "\u{1}\(message.role)\u{2}\(message.content)" }
        return String(format: "%016llx", stableHash(text))
    }

    public var count: Int { lock.lock(); defer { lock.unlock() }; return entries.count }

    public func caption(for key: String) -> String? {
        lock.lock(); defer { lock.unlock() }
        return entries[key]
    }

    /// Stores and appends an answer (flushed to the file before returning).
    public func store(_ caption: String, for key: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let line = try encoder.encode(Line(key: key, caption: caption)) + Data("\n".utf8)
        lock.lock(); defer { lock.unlock() }
        entries[key] = caption
        try handle?.write(contentsOf: line)
    }
}
