import DuetAudio
import DuetData
import DuetEncoders
import DuetTraining
import Foundation

/// One item whose audio could not be turned into features, with the reason.
public struct FeatureFailure: Sendable, CustomStringConvertible {
    public var id: String
    public var path: String
    public var reason: String
    public var description: String { "\(id) (\(path)): \(reason)" }
}

/// Turns audio files into the audio branch's input with the locked musicnn:
/// every 3-s patch's per-frame layer features (front end 561 + mid-end 3 × 64 = 753 channels)
/// are concatenated over the clip, then average-pooled over time into `tokenCount` tokens
/// (`[tokens, 753]`; token `t` averages frames `⌊tF/T⌋ ..< ⌈(t+1)F/T⌉` of the clip's `F` frames).
/// A 10-s clip has 3 patches (561 frames), so a token spans about 14 frames (0.22 s). The clip's
/// 50 tag probabilities (mean over patches, as musicnn's tagger) are kept for the zero-shot baseline.
public struct AudioFeatureExtractor {
    public let musicnn: MusiCNN
    public let cache: FeatureCache

    public init(musicnn: MusiCNN, cache: FeatureCache) {
        self.musicnn = musicnn
        self.cache = cache
    }

    /// Pooled features and tag probabilities of one file (segment bounds in seconds are applied
    /// to the decoded audio).
    public func features(of file: URL) throws -> (tokens: [Float], tagProbabilities: [Float]) {
        var frames: [Float] = []
        var frameCount = 0
        var tagSums = [Float](repeating: 0, count: musicnn.configuration.classCount)
        var patches = 0
        let width = 753
        try musicnn.analyse(file: file) { patch in
            for frame in 0..<patch.frameCount { frames += patch.concatenatedFrame(frame) }
            frameCount += patch.frameCount
            for (index, probability) in patch.tagProbabilities.enumerated() { tagSums[index] += probability }
            patches += 1
        }
        let pooled = Self.averagePool(frames, frameCount: frameCount, width: width, tokenCount: cache.audioTokenCount)
        return (pooled, tagSums.map { $0 / Float(max(1, patches)) })
    }

    /// Adaptive average pooling of `[frameCount, width]` into `[tokenCount, width]`.
    public static func averagePool(_ frames: [Float], frameCount: Int, width: Int, tokenCount: Int) -> [Float] {
        precondition(frameCount > 0 && frames.count == frameCount * width, "\(frames.count) values for \(frameCount) frames of \(width)")
        var pooled = [Float](repeating: 0, count: tokenCount * width)
        for token in 0..<tokenCount {
            let start = token * frameCount / tokenCount
            let end = max(start + 1, ((token + 1) * frameCount + tokenCount - 1) / tokenCount)
            let scale = 1 / Float(end - start)
            for frame in start..<end {
                for channel in 0..<width { pooled[token * width + channel] += frames[frame * width + channel] * scale }
            }
        }
        return pooled
    }

    /// Computes and caches the features of every entry that is not cached yet.
    /// - Returns: the cache key of each entry that has features (by id), and the failures.
    public func extract(
        _ entries: [ManifestEntry], manifest: Manifest, showsProgress: Bool = true
    ) throws -> (keys: [String: ContentHash], failures: [FeatureFailure]) {
        var keys: [String: ContentHash] = [:]
        var failures: [FeatureFailure] = []
        var missing: [(ManifestEntry, URL, ContentHash)] = []
        for entry in entries {
            let url = manifest.audioURL(for: entry)
            do {
                let key = try cache.audioKey(file: url, start: entry.start, end: entry.end)
                if cache.audio.contains(key) && cache.tags.contains(key) { keys[entry.id] = key } else { missing.append((entry, url, key)) }
            } catch {
                failures.append(FeatureFailure(id: entry.id, path: url.path, reason: "cannot read the file: \(error.localizedDescription)"))
            }
        }
        let progress = ProgressBar(label: "musicnn features", total: missing.count, enabled: showsProgress && !missing.isEmpty)
        for (index, (entry, url, key)) in missing.enumerated() {
            do {
                if entry.start != nil || entry.end != nil {
                    throw FeatureExtractionError.segmentsUnsupported(id: entry.id)
                }
                let (tokens, tagProbabilities) = try features(of: url)
                try cache.audio.store(tokens, shape: [cache.audioTokenCount, 753], for: key)
                try cache.tags.store(tagProbabilities, shape: [tagProbabilities.count], for: key)
                keys[entry.id] = key
            } catch let error as FeatureExtractionError {
                failures.append(FeatureFailure(id: entry.id, path: url.path, reason: error.localizedDescription))
            } catch {
                failures.append(FeatureFailure(id: entry.id, path: url.path, reason: error.localizedDescription))
            }
            if index % 64 == 63 { try cache.flush() }
            progress.advance()
        }
        try cache.flush()
        if !missing.isEmpty { progress.finish() }
        return (keys, failures)
    }
}

/// Feature extraction problems that are not the decoder's.
public enum FeatureExtractionError: LocalizedError, Equatable {
    case segmentsUnsupported(id: String)
    case noUsableItems(split: String)

    public var errorDescription: String? {
        switch self {
        case .segmentsUnsupported(let id):
            "item \(id) has start/end bounds; segment extraction is not supported yet, cut the clip to a file of its own"
        case .noUsableItems(let split):
            "no item of the \(split) split has audio features"
        }
    }
}
