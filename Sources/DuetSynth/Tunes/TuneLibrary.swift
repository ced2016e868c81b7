import Foundation

/// The tunes of the music21 tune books that `make setup` unpacks into the model cache
/// (`models/music21/corpus/<collection>/*.abc`), read once, in a fixed order (collection, file,
/// position in the file), with the count of tunes left out by reason.
public struct TuneLibrary: Sendable {
    public var tunes: [NotatedTune]
    public var skipped: [TuneSkip]

    public init(tunes: [NotatedTune], skipped: [TuneSkip] = []) {
        self.tunes = tunes
        self.skipped = skipped
    }

    /// The music21 corpus folder inside a model cache.
    public static func corpusFolder(inModels models: URL) -> URL {
        models.appendingPathComponent("music21/corpus", isDirectory: true)
    }

    /// Reads every collection from `corpus` (music21's `corpus/` folder).
    /// - Throws: `TuneLibraryError.missingCollection` naming `make setup` when a folder is absent,
    ///   `unreadable` when a file cannot be read as UTF-8 or Latin-1 text.
    public static func load(from corpus: URL, collections: [TuneCollection] = TuneCollection.allCases) throws(TuneLibraryError) -> TuneLibrary {
        var library = TuneLibrary(tunes: [])
        for collection in collections.sorted() {
            let folder = corpus.appendingPathComponent(collection.folder, isDirectory: true)
            let files: [String]
            do {
                files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter(collection.reads(file:)).sorted()
            } catch {
                throw .missingCollection(path: folder.path)
            }
            for file in files {
                let url = folder.appendingPathComponent(file)
                guard let data = FileManager.default.contents(atPath: url.path) else { throw .unreadable(path: url.path) }
                guard let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) else {
                    throw .unreadable(path: url.path)
                }
                let book = AbcReader.read(LegacyText.repaired(text), collection: collection, file: file)
                library.tunes += book.tunes
                library.skipped += book.skipped
            }
        }
        return library
    }

    /// Tunes read per collection.
    public var countsByCollection: [TuneCollection: Int] {
        Dictionary(grouping: tunes, by: \.collection).mapValues(\.count)
    }

    /// Tunes skipped per reason.
    public var skipCounts: [TuneSkip.Reason: Int] {
        Dictionary(grouping: skipped, by: \.reason).mapValues(\.count)
    }

    /// "essenFolksong 8102, ryansMammoth 1040 tunes; skipped 412: free meter (M: none) 218, ..."
    public var summary: String {
        let read = countsByCollection.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
        let reasons = skipCounts.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
        return "\(read) tunes read; \(skipped.count) skipped" + (reasons.isEmpty ? "" : ": \(reasons)")
    }
}

/// A tune book that cannot be found or read.
public enum TuneLibraryError: Error, LocalizedError, Equatable {
    case missingCollection(path: String)
    case unreadable(path: String)

    public var errorDescription: String? {
        switch self {
        case .missingCollection(let path):
            "The music21 tune book folder \(path) is missing. Run `make setup` to unpack the music21 wheel's corpus into the model cache (or set DUET_MODELS), or pass --tune-share 0."
        case .unreadable(let path):
            "Cannot read the tune book \(path) as text. Run `make setup` again to unpack it."
        }
    }
}
