import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One audio file found by `LibraryWalker`.
public struct LibraryFile: Sendable, Equatable {
    /// Canonical absolute path (every symlink resolved).
    public var path: String
    public var size: Int64
    /// Modification time in seconds since 1970 (nanosecond resolution where the file system has it).
    public var modified: Double

    public init(path: String, size: Int64, modified: Double) {
        self.path = path
        self.size = size
        self.modified = modified
    }
}

/// Finds the audio files under folders: recursive, following symlinks but visiting every real
/// folder once (so symlink loops end), skipping hidden files and folders (names starting with
/// "."), keeping the extensions libsndfile decodes. A file reached by several paths is listed once,
/// under its canonical path. Results are sorted by path, so runs are reproducible.
public enum LibraryWalker {
    /// Extensions indexed, compared case-insensitively.
    public static let audioExtensions: Set<String> = ["wav", "flac", "ogg", "oga", "opus", "mp3"]

    /// The canonical path of `path` (`realpath(3)`), or nil when it does not exist.
    public static func canonicalPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Size and modification time of `path` (following symlinks), or nil when it cannot be read.
    public static func status(of path: String) -> (size: Int64, modified: Double, isDirectory: Bool, isRegular: Bool)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        let type = info.st_mode & S_IFMT
        return (Int64(info.st_size), modified, type == S_IFDIR, type == S_IFREG)
    }

    /// The audio files under `roots` (canonical roots are returned too, for deciding what was deleted).
    /// - Throws: `SearchError.notADirectory` for a root that is not a folder.
    public static func files(under roots: [URL]) throws -> (roots: [String], files: [LibraryFile]) {
        var canonicalRoots: [String] = []
        for root in roots {
            guard let canonical = canonicalPath(root.path), status(of: canonical)?.isDirectory == true else {
                throw SearchError.notADirectory(path: root.path)
            }
            canonicalRoots.append(canonical)
        }
        var visitedFolders = Set<String>()
        var found: [String: LibraryFile] = [:]
        var pending = canonicalRoots
        while let folder = pending.popLast() {
            guard visitedFolders.insert(folder).inserted else { continue }
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            for name in names where !name.hasPrefix(".") {
                let path = folder == "/" ? "/" + name : folder + "/" + name
                guard let canonical = canonicalPath(path), let status = status(of: canonical) else { continue }
                if status.isDirectory {
                    if !visitedFolders.contains(canonical) { pending.append(canonical) }
                } else if status.isRegular, audioExtensions.contains((name as NSString).pathExtension.lowercased()) {
                    found[canonical] = LibraryFile(path: canonical, size: status.size, modified: status.modified)
                }
            }
        }
        return (canonicalRoots, found.values.sorted { $0.path < $1.path })
    }
}
