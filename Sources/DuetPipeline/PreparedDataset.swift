import DuetData
import DuetEncoders
import DuetFeatures
import DuetModel
import DuetTraining
import Foundation

/// A manifest with its audio features computed: the items that have every requested kind of
/// features, their cache keys, and the cache. Items whose audio failed are listed in `failures`
/// and left out; every other item is kept.
public struct PreparedDataset {
    public let manifest: Manifest
    public let vocabulary: TagVocabulary?
    public let cache: FeatureCache
    /// Entries with audio features, in manifest order.
    public let entries: [ManifestEntry]
    /// Per kind of features, the cache key of each entry (by id).
    public let audioKeys: [AudioFeatureKind: [String: ContentHash]]
    public let failures: [FeatureFailure]
    /// The name used in reports (the manifest's folder name).
    public var name: String { manifest.url.deletingLastPathComponent().lastPathComponent }

    /// Loads `manifestURL` (and `vocabulary.json` beside it when present), opens the feature cache
    /// (`features/` beside the manifest unless `cacheFolder` is given) and computes the audio
    /// features of the given splits that are not cached yet: the kinds in `audioFeatures`, plus
    /// the default musicnn features whose tag probabilities the zero-shot baseline needs.
    /// With `skipMissingAudio`, items whose audio file is missing are left out (and named) instead
    /// of failing the load; with `addsMusicnnTags` false, no musicnn features are added to `audioFeatures`
    /// (an evaluation of the CLAP baseline alone needs none).
    public static func load(
        manifestURL: URL, splits: Set<Split>, audioFeatures: [AudioFeatureKind] = [], cacheFolder: URL? = nil,
        encoders: Encoders, showsProgress: Bool = true, skipMissingAudio: Bool = false, addsMusicnnTags: Bool = true
    ) throws -> PreparedDataset {
        let folder = manifestURL.deletingLastPathComponent()
        let vocabularyURL = folder.appendingPathComponent("vocabulary.json")
        let vocabulary = FileManager.default.fileExists(atPath: vocabularyURL.path) ? try TagVocabulary.load(from: vocabularyURL) : nil
        let manifest = try Manifest.load(
            from: manifestURL, options: ManifestLoadOptions(skipMissingAudio: skipMissingAudio, vocabulary: vocabulary))
        if !manifest.skipped.isEmpty {
            FileHandle.standardError.write(Data("warning: \(manifestURL.path): left out \(manifest.skipped.count) items whose audio is missing: \(manifest.skipped.prefix(10).map(\.id).joined(separator: ", "))\(manifest.skipped.count > 10 ? ", ..." : "")\n".utf8))
        }
        let cache = try FeatureCache(folder: cacheFolder ?? folder.appendingPathComponent("features"))
        let wanted = manifest.entries.filter { splits.contains($0.split) }
        var kinds = audioFeatures
        if addsMusicnnTags && !kinds.contains(where: \.isMusicnn) { kinds.insert(.defaultMusicnn, at: 0) }
        var unique: [AudioFeatureKind] = []
        for kind in kinds where !unique.contains(kind) { unique.append(kind) }
        let extractor = AudioFeatureExtractor(encoders: encoders, cache: cache)
        let (keys, failures) = try extractor.extract(wanted, manifest: manifest, kinds: unique, showsProgress: showsProgress)
        for failure in failures { FileHandle.standardError.write(Data("warning: skipping \(failure)\n".utf8)) }
        let usable = wanted.filter { entry in unique.allSatisfy { keys[$0]?[entry.id] != nil } }
        return PreparedDataset(
            manifest: manifest, vocabulary: vocabulary, cache: cache, entries: usable, audioKeys: keys, failures: failures)
    }

    /// Entries of one split.
    public func entries(in split: Split) -> [ManifestEntry] { entries.filter { $0.split == split } }

    /// An entry's features of `kind`, `kind.shape` row-major.
    public func audioFeatures(of entry: ManifestEntry, kind: AudioFeatureKind) throws -> [Float] {
        guard let keys = audioKeys[kind] else {
            throw TrainingError.missingFeatures(what: "\(kind) of \(name): the dataset was prepared without them")
        }
        guard let key = keys[entry.id], let features = cache.store(for: kind).features(for: key) else {
            throw TrainingError.missingFeatures(what: "the \(kind) of item \(entry.id)")
        }
        return features.values
    }

    /// musicnn's mean tag probabilities for an entry.
    public func tagProbabilities(of entry: ManifestEntry) throws -> [Float] {
        for (kind, keys) in audioKeys where kind.isMusicnn {
            guard let key = keys[entry.id], let features = cache.tags.features(for: key) else { continue }
            return features.values
        }
        throw TrainingError.missingFeatures(what: "the musicnn tags of item \(entry.id)")
    }
}

/// The locked encoders, each loaded once on first use: musicnn and the text encoders from the model
/// cache (MiniLM, e5-small) or their weights folders (CLIP-T, RoBERTa, T5, mT5; MERT, HTS-AT) by default, or
/// the loaders a test gives (stand-ins that need no weights, DuetTestSupport).
public final class Encoders: @unchecked Sendable {
    public typealias AudioLoader = @Sendable () throws -> any LockedAudioEncoder
    public typealias TextLoader = @Sendable (TextEncoderSelection) throws -> any LockedTextEncoder
    public typealias ClapLoader = @Sendable (URL) throws -> ClapModel
    public typealias LayerStateLoader = @Sendable (AudioEncoderSelection) throws -> any LayerStateAudioEncoder

    /// `--text-encoder-weights`: read every folder-based text encoder from this folder instead of the one a
    /// configuration or checkpoint names (its fingerprint is still checked against the recorded one).
    public let textEncoderWeightsOverride: URL?
    /// `--audio-encoder-weights`: the same for MERT and HTS-AT.
    public let audioEncoderWeightsOverride: URL?
    private let loadAudio: AudioLoader
    private let loadText: TextLoader
    private let loadClap: ClapLoader
    private let loadLayerStates: LayerStateLoader
    private var loadedAudio: (any LockedAudioEncoder)?
    private var loadedClap: [String: ClapModel] = [:]
    private var loadedText: [TextEncoderSelection: any LockedTextEncoder] = [:]
    private var loadedLayerStates: [AudioEncoderSelection: any LayerStateAudioEncoder] = [:]
    /// Fingerprints computed so far, by kind and absolute folder path (one pass over the files per process).
    private var fingerprints: [String: String] = [:]
    private let lock = NSLock()

    public init(
        audio: @escaping AudioLoader = { try MusiCNN(.magnaTagATune) }, text: @escaping TextLoader = { try $0.loadEncoder() },
        layerStates: @escaping LayerStateLoader = { try $0.loadEncoder() },
        clap: @escaping ClapLoader = { try ClapModel(directory: $0) },
        textEncoderWeightsOverride: URL? = nil, audioEncoderWeightsOverride: URL? = nil
    ) {
        loadAudio = audio
        loadText = text
        loadLayerStates = layerStates
        loadClap = clap
        self.textEncoderWeightsOverride = textEncoderWeightsOverride
        self.audioEncoderWeightsOverride = audioEncoderWeightsOverride
    }

    /// The locked audio encoder (musicnn).
    public func audio() throws -> any LockedAudioEncoder {
        try lock.withLock {
            if let loadedAudio { return loadedAudio }
            let encoder = try loadAudio()
            loadedAudio = encoder
            return encoder
        }
    }

    /// The CLAP model of the folder at `folder`, loaded on first use.
    public func clap(folder: String) throws -> ClapModel {
        try lock.withLock {
            let path = URL(fileURLWithPath: folder, isDirectory: true).standardizedFileURL.path
            if let model = loadedClap[path] { return model }
            let model = try loadClap(URL(fileURLWithPath: path, isDirectory: true))
            loadedClap[path] = model
            return model
        }
    }

    /// The cached-feature kind of the CLAP audio embeddings from the CLAP folder at `folder`: the folder made
    /// absolute, its fingerprint (over ``ClapModel/folderFiles``, as a text tower folder's) and the model's
    /// joint width. Loads the model.
    public func clapFeatureKind(folder: String) throws -> AudioFeatureKind {
        let model = try clap(folder: folder)
        let url = URL(fileURLWithPath: folder, isDirectory: true).standardizedFileURL
        let fingerprint: String
        do throws(WeightsFolderFiles.Problem) {
            fingerprint = try WeightsFolderFiles(path: url.path, required: ClapModel.folderFiles.map { [$0] }).fingerprint()
        } catch {
            let (path, reason) = switch error {
            case .missingFolder(let path): (path, "the folder does not exist")
            case let .missingFile(folder, names): (folder, "the folder has no \(names.joined(separator: " or "))")
            case let .unreadableFile(path, reason): (path, reason)
            }
            throw EncoderError.unreadableConfiguration(model: "CLAP", path: path, reason: reason)
        }
        return .clap(weightsFolder: url.path, weightsFingerprint: fingerprint, width: model.configuration.jointWidth)
    }

    /// MERT or HTS-AT as `selection` names it, loaded on first use, after ``resolve(_:)-(AudioEncoderSelection)``.
    public func audio(_ selection: AudioEncoderSelection) throws -> any LayerStateAudioEncoder {
        try lock.withLock { try loadOnce(try resolveLocked(selection), in: \.loadedLayerStates, loadLayerStates) }
    }

    /// MiniLM or e5-small, loaded on first use.
    public func text(_ kind: TextEncoderKind) throws -> any LockedTextEncoder {
        try text(TextEncoderSelection(kind: kind))
    }

    /// The text encoder `selection` names, loaded on first use, after ``resolve(_:)``.
    public func text(_ selection: TextEncoderSelection) throws -> any LockedTextEncoder {
        try lock.withLock { try loadOnce(try resolveLocked(selection), in: \.loadedText, loadText) }
    }

    /// The encoder `loaded` holds for `selection`, or the one `load` gives, kept there (with the lock held).
    private func loadOnce<Selection: Hashable, Encoder>(
        _ selection: Selection, in loaded: ReferenceWritableKeyPath<Encoders, [Selection: Encoder]>, _ load: (Selection) throws -> Encoder
    ) throws -> Encoder {
        if let encoder = self[keyPath: loaded][selection] { return encoder }
        let encoder = try load(selection)
        self[keyPath: loaded][selection] = encoder
        return encoder
    }

    /// `selection` ready to load and to key caches with. MiniLM and e5-small are returned as they are. For the
    /// towers read from a folder: the folder (``textEncoderWeightsOverride`` when set) made absolute, checked to
    /// hold the kind's files, and fingerprinted; when `selection` carries a fingerprint (a checkpoint's, or a
    /// pin in a configuration) the folder's must equal it.
    /// - Throws: `TextEncoderWeightsError` naming the folder and the setting it came from.
    public func resolve(_ selection: TextEncoderSelection) throws -> TextEncoderSelection {
        try lock.withLock { try resolveLocked(selection) }
    }

    /// `selection` ready to load and to key caches with, as for text encoders: musicnn and from scratch as
    /// they are; MERT's and HTS-AT's folder (``audioEncoderWeightsOverride`` when set) made absolute, checked
    /// and fingerprinted, and refused when a recorded fingerprint differs.
    /// - Throws: `AudioEncoderWeightsError` naming the folder and the setting it came from.
    public func resolve(_ selection: AudioEncoderSelection) throws -> AudioEncoderSelection {
        try lock.withLock { try resolveLocked(selection) }
    }

    /// `model` with its audio encoder resolved (``resolve(_:)-(AudioEncoderSelection)``) and, for MERT and
    /// HTS-AT, the layer widths read from the folder's `config.json`, so that the features it reads
    /// (`AudioFeatureKind(model:)`) name that folder's encoder.
    public func resolveAudio(_ model: ModelConfiguration) throws -> ModelConfiguration {
        var resolved = model
        resolved.audioEncoderSelection = try resolve(model.audioEncoderSelection)
        if let folder = resolved.audioEncoderWeights, resolved.audioEncoderKind.readsWeightsFolder {
            resolved.audioLayerWidths = try AudioEncoderWeightsFolder(kind: resolved.audioEncoderKind, path: folder, setting: "audioEncoderWeights")
                .layerWidths()
        }
        return resolved
    }

    private func resolveLocked(_ selection: TextEncoderSelection) throws -> TextEncoderSelection {
        try resolveFolderLocked(selection, in: TextEncoderWeightsFolder.self, override: textEncoderWeightsOverride)
    }

    private func resolveLocked(_ selection: AudioEncoderSelection) throws -> AudioEncoderSelection {
        try resolveFolderLocked(selection, in: AudioEncoderWeightsFolder.self, override: audioEncoderWeightsOverride)
    }

    /// The resolution text and audio encoders share: the folder (`override` when set, else the selection's)
    /// opened as a `Folder`, its fingerprint computed once per process and compared with a recorded one.
    private func resolveFolderLocked<Folder: EncoderWeightsFolder>(
        _ selection: EncoderSelection<Folder.Kind>, in _: Folder.Type, override: URL?
    ) throws -> EncoderSelection<Folder.Kind> {
        let kind = selection.kind
        guard kind.readsWeightsFolder else { return EncoderSelection(kind: kind) }
        let setting = override == nil ? Folder.setting : Folder.option
        guard let path = override?.path ?? selection.weightsFolder else { throw EncoderWeightsError<Folder>.folderRequired(kind: kind) }
        let folder = try Folder(kind: kind, path: path, setting: setting)
        let memo = "\(Folder.tower) \(kind.rawValue) \(folder.url.path)"
        let found = try fingerprints[memo] ?? folder.fingerprint()
        fingerprints[memo] = found
        if let recorded = selection.weightsFingerprint, recorded != found {
            throw EncoderWeightsError<Folder>.changedWeights(folder: folder.url.path, setting: setting, kind: kind, recorded: recorded, found: found)
        }
        return EncoderSelection(kind: kind, weightsFolder: folder.url.path, weightsFingerprint: found)
    }
}
