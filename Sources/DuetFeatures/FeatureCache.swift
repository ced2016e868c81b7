import DuetAudio
import DuetModel
import Foundation

/// The on-disk cache of per-clip and per-text features for one folder (by default `features/`
/// beside a manifest): musicnn clip features, musicnn tag probabilities, log-mel spectrograms
/// (from-scratch models), MERT's and HTS-AT's pooled layer states, CLAP audio embeddings (the CLAP
/// zero-shot baseline), and the text encoders' token states.
///
/// Keys hash the input's content (audio file bytes and segment bounds, or caption text) together
/// with the encoder's identity and the pooling settings, so a changed file, a changed caption or
/// another encoder version simply misses the cache and is recomputed; nothing stale is read.
public final class FeatureCache: @unchecked Sendable {
    public let folder: URL
    /// musicnn clip features, `[tokens, 753]`.
    public let audio: FeatureStore
    /// musicnn tag probabilities, `[50]`, under the same keys as `audio`.
    public let tags: FeatureStore
    /// Pooled log-mel spectrograms, `[frames, 96]`.
    public let logMel: FeatureStore
    /// L2-normalised CLAP audio embeddings, `[1, width]`, keyed by the CLAP folder's fingerprint.
    public let clap: FeatureStore
    /// MERT's and HTS-AT's pooled layer states, `[tokens, Σ layer widths]` (the keys tell encoders and
    /// weights apart). MERT-v1-330M: 25 × 1024 floats a token, 4 MB a clip at 40 tokens.
    public let layerStates: FeatureStore
    /// The text encoder's token states, `[tokens, hidden]` (MiniLM's 384 wide; the file keeps its
    /// historical name whatever the encoder, the keys tell encoders apart).
    public let text: FeatureStore

    /// Bump when the feature computation changes in a way the encoder identity does not show.
    static let pipelineVersion = "1"

    public init(folder: URL) throws {
        self.folder = folder
        audio = try FeatureStore(url: folder.appendingPathComponent("audio-musicnn.features"))
        tags = try FeatureStore(url: folder.appendingPathComponent("tags-musicnn.features"))
        logMel = try FeatureStore(url: folder.appendingPathComponent("audio-logmel.features"))
        layerStates = try FeatureStore(url: folder.appendingPathComponent("audio-layers.features"))
        text = try FeatureStore(url: folder.appendingPathComponent("text-minilm.features"))
        clap = try FeatureStore(url: folder.appendingPathComponent("audio-clap.features"))
        // Damage found while opening is repaired (intact records kept, the rest recomputed); say so.
        for store in [audio, tags, logMel, layerStates, text, clap] where !store.damageReport.isEmpty {
            FileHandle.standardError.write(Data("warning: feature cache \(store.damageReport)\n".utf8))
        }
    }

    /// The store that holds features of `kind`.
    public func store(for kind: AudioFeatureKind) -> FeatureStore {
        switch kind {
        case .musicnn: audio
        case .logMel: logMel
        case .clap: clap
        case .mert, .htsat: layerStates
        }
    }

    /// The content hash of an audio item (file bytes and segment), to be finished by `audioKey`.
    public func audioContentHash(file: URL, segment: AudioSegment?) throws -> ContentHash {
        var hash = ContentHash()
        let data = try Data(contentsOf: file, options: .alwaysMapped)
        data.withUnsafeBytes { hash.combine($0) }
        hash.combine(UInt64(data.count))
        hash.combine("segment \(segment?.start ?? -1) \(segment?.end ?? -1)")
        return hash
    }

    /// The cache key of an audio item's features of `kind`.
    public func audioKey(content: ContentHash, kind: AudioFeatureKind) -> ContentHash {
        var hash = content
        hash.combine("\(kind.identity) v\(Self.pipelineVersion)")
        return hash
    }

    /// The cache key of a text's token states from `encoder`: the text, the encoder's identity (for the
    /// towers read from a folder, its version is the folder's fingerprint, so two RoBERTa checkpoints never
    /// share states) and the pipeline version. MiniLM and e5 keys are unchanged from before the choice of
    /// text encoder existed, so their caches stay valid.
    public func textKey(_ text: String, encoder: TextEncoderSelection) -> ContentHash {
        var hash = ContentHash(text)
        let identity = encoder.identity
        hash.combine("\(identity.name) \(identity.variant) \(identity.version) v\(Self.pipelineVersion)")
        return hash
    }

    /// The cache key of a text's token states from MiniLM or e5-small (encoders without a weights folder).
    public func textKey(_ text: String, encoder encoderKind: TextEncoderKind) -> ContentHash {
        textKey(text, encoder: TextEncoderSelection(kind: encoderKind))
    }

    /// Makes every record written so far durable.
    public func flush() throws {
        try audio.flush()
        try tags.flush()
        try logMel.flush()
        try layerStates.flush()
        try text.flush()
        try clap.flush()
    }
}
