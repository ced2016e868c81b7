import DuetAudio
import DuetData
import DuetEncoders
import DuetModel
import DuetTraining
import Foundation

/// The on-disk cache of locked-encoder features for one folder (by default `features/` beside a
/// manifest): musicnn clip features, musicnn tag probabilities, and MiniLM token states.
///
/// Keys hash the input's content (audio file bytes and segment bounds, or caption text) together
/// with the encoder's identity and the pooling settings, so a changed file, a changed caption or
/// another encoder version simply misses the cache and is recomputed; nothing stale is read.
public final class FeatureCache: @unchecked Sendable {
    public let folder: URL
    public let audio: FeatureStore
    public let tags: FeatureStore
    public let text: FeatureStore
    public let audioTokenCount: Int

    /// Bump when the feature computation changes in a way the encoder identity does not show.
    static let pipelineVersion = "1"

    public init(folder: URL, audioTokenCount: Int = 40) throws {
        self.folder = folder
        self.audioTokenCount = audioTokenCount
        audio = try FeatureStore(url: folder.appendingPathComponent("audio-musicnn.features"))
        tags = try FeatureStore(url: folder.appendingPathComponent("tags-musicnn.features"))
        text = try FeatureStore(url: folder.appendingPathComponent("text-minilm.features"))
    }

    /// The cache key of an audio item: file bytes, segment, encoder and token count.
    public func audioKey(file: URL, start: Double?, end: Double?) throws -> ContentHash {
        var hash = ContentHash()
        let data = try Data(contentsOf: file, options: .alwaysMapped)
        data.withUnsafeBytes { hash.combine($0) }
        hash.combine(UInt64(data.count))
        hash.combine("segment \(start ?? -1) \(end ?? -1)")
        let encoder = EncoderIdentity.musicnn
        hash.combine("\(encoder.name) \(encoder.variant) \(encoder.version) tokens \(audioTokenCount) v\(Self.pipelineVersion)")
        return hash
    }

    /// The cache key of a text's token states.
    public func textKey(_ text: String) -> ContentHash {
        var hash = ContentHash(text)
        let encoder = EncoderIdentity.miniLM
        hash.combine("\(encoder.name) \(encoder.variant) \(encoder.version) v\(Self.pipelineVersion)")
        return hash
    }

    /// Makes every record written so far durable.
    public func flush() throws {
        try audio.flush()
        try tags.flush()
        try text.flush()
    }
}
