import DuetFeatures
import Foundation

/// The content hash stored per track: 64-bit FNV-1a (`ContentHash`) of the file's bytes, read in
/// 1 MiB chunks, as 16 hexadecimal digits. It tells a file whose modification time changed but
/// whose bytes did not (a copy, a `touch`) from a real change, which is re-embedded.
public enum FileContentHash {
    public static func of(_ path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        var hash = ContentHash()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            chunk.withUnsafeBytes { hash.combine($0) }
        }
        return hash.description
    }
}
