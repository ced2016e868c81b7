import Foundation

/// Reading the text files Duet takes from users (manifests, TSV/CSV, JSON lines, views, caches).
///
/// One place for what every reader needs: UTF-8 with an optional byte-order mark, and lines ended by
/// LF, CRLF or a lone CR. In Swift `"\r\n"` is a single `Character`, so `split(separator: "\n")` never
/// splits a CRLF file; `lines(of:)` splits on all three.
public enum TextFile {
    /// Reads `url` as UTF-8 text without a leading byte-order mark.
    /// - Throws: `DataFileError.unreadable` when the file cannot be read (naming the reason), and
    ///   `.malformed` naming the line and byte offset of the first byte sequence that is not UTF-8.
    public static func read(_ url: URL) throws(DataFileError) -> String {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            let reason = FileManager.default.fileExists(atPath: url.path)
                ? (FileManager.default.isReadableFile(atPath: url.path) ? error.localizedDescription : "permission denied")
                : "no such file"
            throw .unreadable(path: url.path, reason: reason)
        }
        return try decode(data, path: url.path)
    }

    /// Decodes `data` as UTF-8, dropping a leading byte-order mark.
    public static func decode(_ data: Data, path: String) throws(DataFileError) -> String {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        let offset = firstInvalidOffset(bytes) ?? 0
        let line = bytes.prefix(offset).reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        let absolute = offset + (bytes.startIndex - data.startIndex)
        let byte = data[data.startIndex + absolute]
        throw .malformed(path: path, line: line, reason: "the file is not UTF-8 text (byte 0x\(String(byte, radix: 16, uppercase: true)) "
                         + "at byte offset \(absolute) starts no valid UTF-8 sequence); save it as UTF-8")
    }

    /// The lines of `text`, split at LF, CRLF and CR, without their line ends (a text that ends with a
    /// line end has an empty last line, as with `split(omittingEmptySubsequences: false)`).
    public static func lines(of text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
    }

    /// Offset (from the start of `bytes`) of the first byte that begins no valid UTF-8 sequence
    /// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
    static func firstInvalidOffset(_ bytes: Data.SubSequence) -> Int? {
        let values = Array(bytes)
        var index = 0
        while index < values.count {
            let lead = values[index]
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch lead {
            case 0x00...0x7F: index += 1; continue
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return index
            }
            guard index + length <= values.count, (low...high).contains(values[index + 1]) else { return index }
            for continuation in values[(index + 2)..<(index + length)] where continuation & 0xC0 != 0x80 { return index }
            index += length
        }
        return nil
    }
}
