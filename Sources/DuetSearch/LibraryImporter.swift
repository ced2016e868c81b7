import DuetAudio
import DuetData
import DuetRandom
import Foundation

/// `duet import library`: a training manifest from a person's own tagged music. Every audio file under the
/// folders (the walk `duet index` uses) has its tags read with TagLib; `LibraryTagMapper` maps genre, mood,
/// comment, BPM and year onto the recipe's categories; albums are split with `GroupedSplit` so that no
/// album is in two splits. Files without a genre, mood or instrument tag cannot teach the model anything
/// and are left out and reported, as are files TagLib cannot read.
public struct LibraryImporter {
    /// What an import found.
    public struct Report: Sendable {
        public var entries: [ManifestEntry] = []
        /// Files read but without a usable (genre, mood or instrument) tag.
        public var untagged: [String] = []
        /// Files whose tags could not be read, with the reason.
        public var unreadable: [(path: String, reason: String)] = []
        /// Albums (or folders, for files without an album tag) per split.
        public var albumsPerSplit: [Split: Int] = [:]

        /// A few lines for the terminal: counts per split, what was left out and why.
        public var summary: String {
            var lines: [String] = []
            let counts = Split.allCases.map { split in "\(split.rawValue) \(entries.count { $0.split == split }) (\(albumsPerSplit[split] ?? 0) albums)" }
            lines.append("\(entries.count) tracks with usable tags: " + counts.joined(separator: ", "))
            if !untagged.isEmpty {
                lines.append("\(untagged.count) tracks left out: no genre, mood or instrument in their tags (GENRE, MOOD, COMMENT), e.g.")
                lines += untagged.prefix(5).map { "  \($0)" }
            }
            if !unreadable.isEmpty {
                lines.append("\(unreadable.count) files left out: their tags could not be read")
                lines += unreadable.prefix(5).map { "  \($0.path): \($0.reason)" }
            }
            if (albumsPerSplit[.valid] ?? 0) == 0 || (albumsPerSplit[.test] ?? 0) == 0 {
                lines.append("warning: fewer than three albums: everything is in train, and `duet train` needs a valid split")
            }
            return lines.joined(separator: "\n")
        }
    }

    public var mapper: LibraryTagMapper
    public var validFraction = 0.1
    public var testFraction = 0.1
    public var seed: UInt64 = 0

    public init(mapper: LibraryTagMapper) {
        self.mapper = mapper
    }

    /// Reads the library under `folders` into entries whose audio paths are relative to `manifest`'s folder
    /// when the file is under it, absolute otherwise.
    /// - Throws: `SearchError.outOfRange` for a fraction outside `GroupedSplit.fractionRange`,
    ///   `SearchError.notADirectory` for a folder that is not one.
    public func run(folders: [URL], manifest: URL, progress: ((Int, Int) -> Void)? = nil) throws -> Report {
        for (name, value) in [("--valid-fraction", validFraction), ("--test-fraction", testFraction)]
        where !GroupedSplit.fractionRange.contains(value) {
            throw SearchError.outOfRange(option: name, value: "\(value)", allowed: "between 0 and \(GroupedSplit.fractionRange.upperBound)")
        }
        let files = try LibraryWalker.files(under: folders).files
        var report = Report()
        var pending: [(entry: ManifestEntry, album: String)] = []
        let base = LibraryWalker.canonicalPath(manifest.deletingLastPathComponent().path) ?? manifest.deletingLastPathComponent().path
        for (index, file) in files.enumerated() {
            defer { progress?(index + 1, files.count) }
            let fileTags: AudioFileTags
            do { fileTags = try AudioFileTags.read(from: URL(fileURLWithPath: file.path)) } catch {
                report.unreadable.append((file.path, error.localizedDescription))
                continue
            }
            let tags = mapper.tags(
                genres: fileTags.genres, moods: fileTags.moods, comment: fileTags.comment, year: fileTags.year,
                beatsPerMinute: fileTags.beatsPerMinute)
            guard TagCategory.descriptors.contains(where: { !(tags[$0] ?? []).isEmpty }) else {
                report.untagged.append(file.path)
                continue
            }
            var metadata = ["source": "library"]
            metadata["title"] = fileTags.title
            metadata["artist"] = fileTags.artist
            metadata["album"] = fileTags.album
            metadata["year"] = fileTags.year.map(String.init)
            metadata["bpm"] = fileTags.beatsPerMinute.map(String.init)
            let audio = file.path.hasPrefix(base + "/") ? String(file.path.dropFirst(base.count + 1)) : file.path
            let id = "library-" + String(stableHash(file.path), radix: 16)
            let entry = ManifestEntry(id: id, audio: audio, tags: tags, split: .train, metadata: metadata)
            pending.append((entry, Self.albumKey(path: file.path, tags: fileTags)))
        }
        let sizes = pending.reduce(into: [String: Int]()) { $0[$1.album, default: 0] += 1 }
        let splits = GroupedSplit.assign(sizes: sizes, validFraction: validFraction, testFraction: testFraction, seed: seed)
        for split in splits.values { report.albumsPerSplit[split, default: 0] += 1 }
        report.entries = pending.map { item in
            var entry = item.entry
            entry.split = splits[item.album] ?? .train
            return entry
        }
        return report
    }

    /// The album a file belongs to for splitting: artist and album from the tags, or the file's folder when
    /// the album tag is missing (a folder usually holds one album).
    static func albumKey(path: String, tags: AudioFileTags) -> String {
        if let album = tags.album { return "album\u{1F}\(tags.artist ?? "")\u{1F}\(album)" }
        return "folder\u{1F}" + (path as NSString).deletingLastPathComponent
    }
}
