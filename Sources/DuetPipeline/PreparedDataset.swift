import DuetData
import DuetEncoders
import DuetTraining
import Foundation

/// A manifest with its locked features computed: the items that have audio features, their
/// cache keys, and the cache. Items whose audio failed are listed in `failures` and left out;
/// every other item is kept.
public struct PreparedDataset {
    public let manifest: Manifest
    public let vocabulary: TagVocabulary?
    public let cache: FeatureCache
    /// Entries with audio features, in manifest order.
    public let entries: [ManifestEntry]
    public let audioKeys: [String: ContentHash]
    public let failures: [FeatureFailure]
    /// The name used in reports (the manifest's folder name).
    public var name: String { manifest.url.deletingLastPathComponent().lastPathComponent }

    /// Loads `manifestURL` (and `vocabulary.json` beside it when present), opens the feature cache
    /// (`features/` beside the manifest unless `cacheFolder` is given) and computes the audio
    /// features of the given splits that are not cached yet.
    public static func load(
        manifestURL: URL, splits: Set<Split>, cacheFolder: URL? = nil, encoders: Encoders, showsProgress: Bool = true
    ) throws -> PreparedDataset {
        let folder = manifestURL.deletingLastPathComponent()
        let vocabularyURL = folder.appendingPathComponent("vocabulary.json")
        let vocabulary = FileManager.default.fileExists(atPath: vocabularyURL.path) ? try TagVocabulary.load(from: vocabularyURL) : nil
        let manifest = try Manifest.load(from: manifestURL, options: ManifestLoadOptions(vocabulary: vocabulary))
        let cache = try FeatureCache(folder: cacheFolder ?? folder.appendingPathComponent("features"))
        let wanted = manifest.entries.filter { splits.contains($0.split) }
        let extractor = AudioFeatureExtractor(musicnn: try encoders.musicnn(), cache: cache)
        let (keys, failures) = try extractor.extract(wanted, manifest: manifest, showsProgress: showsProgress)
        for failure in failures { FileHandle.standardError.write(Data("warning: skipping \(failure)\n".utf8)) }
        return PreparedDataset(
            manifest: manifest, vocabulary: vocabulary, cache: cache, entries: wanted.filter { keys[$0.id] != nil },
            audioKeys: keys, failures: failures)
    }

    /// Entries of one split.
    public func entries(in split: Split) -> [ManifestEntry] { entries.filter { $0.split == split } }

    /// The pooled musicnn features of an entry, `[40, 753]`.
    public func audioFeatures(of entry: ManifestEntry) throws -> [Float] {
        guard let key = audioKeys[entry.id], let features = cache.audio.features(for: key) else {
            throw TrainingError.missingFeatures(what: "the audio of item \(entry.id)")
        }
        return features.values
    }

    /// musicnn's mean tag probabilities for an entry.
    public func tagProbabilities(of entry: ManifestEntry) throws -> [Float] {
        guard let key = audioKeys[entry.id], let features = cache.tags.features(for: key) else {
            throw TrainingError.missingFeatures(what: "the musicnn tags of item \(entry.id)")
        }
        return features.values
    }
}

/// The locked encoders, loaded once on first use.
public final class Encoders: @unchecked Sendable {
    private var loadedMusiCNN: MusiCNN?
    private var loadedText: BertSentenceEncoder?
    private let lock = NSLock()

    public init() {}

    public func musicnn() throws -> MusiCNN {
        try lock.withLock {
            if let loadedMusiCNN { return loadedMusiCNN }
            let model = try MusiCNN(.magnaTagATune)
            loadedMusiCNN = model
            return model
        }
    }

    public func text() throws -> BertSentenceEncoder {
        try lock.withLock {
            if let loadedText { return loadedText }
            let encoder = try BertSentenceEncoder.miniLM()
            loadedText = encoder
            return encoder
        }
    }
}
