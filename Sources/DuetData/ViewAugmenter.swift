import DuetRandom
import Foundation

/// The views of one item as stored by `duet augment`: one JSON line per item,
/// `{"id": "...", "seed": 0, "views": [{"caption": "...", "source": "template", "tags": {...}}, ...]}`.
public struct ItemViews: Codable, Sendable, Equatable {
    public var id: String
    public var seed: UInt64
    public var views: [AugmentedView]

    public init(id: String, seed: UInt64, views: [AugmentedView]) {
        self.id = id
        self.seed = seed
        self.views = views
    }

    func encodedLine() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Reads a views file; a torn last line (no newline, not JSON) is ignored, any other bad line is an error.
    public static func load(from url: URL) throws -> [ItemViews] {
        let lines = TextFile.lines(of: try TextFile.read(url))
        var items: [ItemViews] = []
        for (index, line) in lines.enumerated() where !line.isEmpty {
            do {
                items.append(try JSONDecoder().decode(ItemViews.self, from: Data(line.utf8)))
            } catch {
                if index == lines.count - 1 { break }
                throw DataFileError.malformed(path: url.path, line: index + 1, reason: "not a views line: \(error)")
            }
        }
        return items
    }
}

/// Writes the Augmented View Dropout views of a manifest, resumably.
///
/// Each item's views come from its own random stream, `SeededGenerator(seed).derived(stream:
/// stableHash(id))`, so an item's views depend only on the seed, its id and tags, and the
/// vocabulary, never on item order or on where a previous run stopped: rerunning with the same seed
/// is idempotent, and a run stopped half-way resumes by skipping the ids already in the file. With
/// a language model, every view's caption is first made offline (that caption is the fallback),
/// then asked of the model; accepted answers replace it (`source: "llm"`), rejected or failed ones
/// keep it (`source: "template-fallback"`).
public struct ViewAugmenter: Sendable {
    public var dropout: ViewDropout
    public var seed: UInt64
    public var languageModel: LanguageModelCaptioner?
    /// Items captioned together per batch of language-model requests (and per write).
    public var chunkSize = 32

    public init(dropout: ViewDropout, seed: UInt64, languageModel: LanguageModelCaptioner? = nil) {
        self.dropout = dropout
        self.seed = seed
        self.languageModel = languageModel
    }

    /// The summary of a run.
    public struct Report: Sendable, Equatable, Codable {
        public var written = 0
        public var alreadyDone = 0
        public var languageModel: LanguageModelCaptioner.Report?
    }

    /// The offline views of one item.
    public func offlineViews(of entry: ManifestEntry) -> ItemViews {
        var generator = SeededGenerator(seed: seed).derived(stream: stableHash(entry.id))
        let views = dropout.views(of: entry.tags, using: &generator).map {
            AugmentedView(tags: $0.tags, caption: $0.caption, source: "template")
        }
        return ItemViews(id: entry.id, seed: seed, views: views)
    }

    /// Writes the views of every entry not yet in `output`, appending one line per item.
    /// - Throws: when `output` holds items made with another seed or view count.
    public func run(
        entries: [ManifestEntry], output: URL, progress: @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) async throws -> Report {
        var report = Report()
        var done = Set<String>()
        if FileManager.default.fileExists(atPath: output.path) {
            let existing = try ItemViews.load(from: output)
            for item in existing {
                if item.seed != seed || item.views.count != dropout.viewCount {
                    throw DataFileError.malformed(
                        path: output.path, line: nil,
                        reason: "item '\(item.id)' was written with seed \(item.seed) and \(item.views.count) views, not seed \(seed) and \(dropout.viewCount); write to a new file")
                }
                done.insert(item.id)
            }
            try Self.dropTornLine(output)
        } else if !FileManager.default.createFile(atPath: output.path, contents: nil) {
            throw DataFileError.unreadable(path: output.path, reason: "cannot create the views file")
        }
        let pending = entries.filter { !done.contains($0.id) }
        report.alreadyDone = entries.count - pending.count
        if languageModel != nil { report.languageModel = LanguageModelCaptioner.Report() }
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        try handle.seekToEnd()
        var start = 0
        while start < pending.count {
            let chunk = Array(pending[start..<min(start + chunkSize, pending.count)])
            var items = chunk.map(offlineViews(of:))
            if let languageModel {
                let requests = items.flatMap { $0.views.map(\.tags) }
                let outcomes = await languageModel.captions(for: requests)
                var position = 0
                for itemIndex in items.indices {
                    for viewIndex in items[itemIndex].views.indices {
                        let outcome = outcomes[position]
                        report.languageModel?.add(outcome)
                        if let caption = outcome.caption {
                            items[itemIndex].views[viewIndex].caption = caption
                            items[itemIndex].views[viewIndex].source = "llm"
                        } else {
                            items[itemIndex].views[viewIndex].source = "template-fallback"
                        }
                        position += 1
                    }
                }
            }
            var text = ""
            for item in items { text += try item.encodedLine() + "\n" }
            try handle.write(contentsOf: Data(text.utf8))
            report.written += items.count
            start += chunk.count
            progress(report.alreadyDone + report.written, entries.count)
        }
        return report
    }

    /// Cuts a torn last line left by an interrupted run so appends start on a fresh line.
    private static func dropTornLine(_ url: URL) throws {
        let data = try Data(contentsOf: url)
        guard !data.isEmpty, data.last != UInt8(ascii: "\n") else { return }
        let keep = data.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        try data.prefix(keep).write(to: url, options: .atomic)
    }
}
