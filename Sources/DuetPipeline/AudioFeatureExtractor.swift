import DuetAudio
import DuetData
import DuetEncoders
import DuetFeatures
import DuetTraining
import Foundation

/// One item whose audio could not be turned into features, with the reason.
public struct FeatureFailure: Sendable, CustomStringConvertible {
    public var id: String
    public var path: String
    public var reason: String
    public var description: String { "\(id) (\(path)): \(reason)" }
}

/// Turns audio files (or their `start`/`end` segments) into the audio branch's input and caches it.
///
/// - `.musicnn(tokenCount:)`: every 3-s patch's per-frame layer features from the locked musicnn
///   (front end 561 + mid-end 3 × 64 = 753 channels) are concatenated over the clip, then
///   average-pooled over time into `tokenCount` tokens (`[tokens, 753]`; token `t` averages frames
///   `⌊tF/T⌋ ..< ⌈(t+1)F/T⌉` of the clip's `F` frames). A 10-s clip has 3 patches (561 frames), so
///   a token spans about 14 frames (0.22 s). The clip's 50 tag probabilities (mean over patches,
///   as musicnn's tagger) are kept for the zero-shot baseline.
/// - `.logMel(frameCount:)`: the whole clip's log-mel spectrogram (musicnn's front end, 62.5
///   frames/s) pooled the same way to `frameCount` frames, `[frames, 96]`.
/// - `.clap(weightsFolder:weightsFingerprint:width:)`: the clip's L2-normalised LAION-CLAP audio embedding
///   `[1, width]` from the CLAP folder (``ClapModel``: the first `clip_samples` at 48 kHz, a shorter clip
///   repeated and zero-padded to them).
/// - `.mert`, `.htsat`: the clip, at the encoder's rate (MERT-v1: 24 kHz, HTS-AT: CLAP's 48 kHz; the
///   `AudioLoader` resamples), is cut into the fewest equal chunks of at most the encoder's window
///   (``LayerStateAudioEncoder/windowSampleCount``: 5 s for MERT, CLAP's `clip_samples` for HTS-AT) and each
///   chunk runs on its own; every layer's states of the chunks are laid end to end in time, pooled to
///   `tokenCount` tokens like musicnn's frames (each layer on its own frame count), and the layers are
///   concatenated per token: `[tokens, Σ layer widths]`. Equal chunks rather than full windows and a
///   remainder, so no chunk is a sliver whose states describe a fraction of a second.
public struct AudioFeatureExtractor {
    public let encoders: Encoders
    public let cache: FeatureCache

    public init(encoders: Encoders, cache: FeatureCache) {
        self.encoders = encoders
        self.cache = cache
    }

    /// Pooled musicnn features `[tokenCount, 753]` and tag probabilities of one file or segment.
    public func musicnnFeatures(
        of file: URL, segment: AudioSegment? = nil, tokenCount: Int
    ) throws -> (tokens: [Float], tagProbabilities: [Float]) {
        let musicnn = try encoders.audio()
        return try Self.musicnnFeatures(musicnn: musicnn, tokenCount: tokenCount) { sink in
            try AudioLoader.stream(file, sampleRate: musicnn.sampleRate, segment: segment, sink)
        }
    }

    /// Pooled musicnn features `[tokenCount, 753]` and mean tag probabilities of the clip whose
    /// samples (mono, musicnn's rate) `source` hands to its sink.
    public static func musicnnFeatures(
        musicnn: any LockedAudioEncoder, tokenCount: Int, samples source: (_ sink: ([Float]) throws -> Void) throws -> Void
    ) throws -> (tokens: [Float], tagProbabilities: [Float]) {
        var frames: [Float] = []
        var frameCount = 0
        var tagSums = [Float](repeating: 0, count: musicnn.tags.count)
        var patches = 0
        try musicnn.analyse(samples: source, batchSize: 8) { patch in
            for frame in 0..<patch.frameCount { frames += patch.concatenatedFrame(frame) }
            frameCount += patch.frameCount
            for (index, probability) in patch.tagProbabilities.enumerated() { tagSums[index] += probability }
            patches += 1
        }
        let pooled = averagePool(
            frames, frameCount: frameCount, width: musicnn.frameWidth, tokenCount: tokenCount)
        return (pooled, tagSums.map { $0 / Float(max(1, patches)) })
    }

    /// The log-mel spectrogram of one file or segment pooled to `[frameCount, 96]`.
    public static func logMelFeatures(of file: URL, segment: AudioSegment? = nil, frameCount: Int) throws -> [Float] {
        try logMelFeatures(frameCount: frameCount) { sink in
            try AudioLoader.stream(file, sampleRate: LogMelConfiguration.musicnn.sampleRate, segment: segment, sink)
        }
    }

    /// The log-mel spectrogram pooled to `[frameCount, 96]` of the clip whose samples (mono,
    /// musicnn's rate) `source` hands to its sink.
    public static func logMelFeatures(
        frameCount: Int, samples source: (_ sink: ([Float]) throws -> Void) throws -> Void
    ) throws -> [Float] {
        let configuration = LogMelConfiguration.musicnn
        let stream = MelSpectrogramStream(configuration: configuration)
        var power: [Float] = []
        try source { samples in power += stream.append(samples) }
        power += stream.finish()
        let spectrogram = LogMelSpectrogram(compressing: power, configuration: configuration)
        return averagePool(spectrogram.values, frameCount: spectrogram.frameCount, width: spectrogram.bandCount, tokenCount: frameCount)
    }

    /// The L2-normalised CLAP audio embedding `[jointWidth]` of one file or segment: its first
    /// `clip_samples` at CLAP's rate (the rest is decoded but not kept), through ``ClapModel``.
    public static func clapEmbedding(of file: URL, segment: AudioSegment? = nil, clap: ClapModel) throws -> [Float] {
        let limit = clap.configuration.audio.clipSamples
        var samples: [Float] = []
        try AudioLoader.stream(file, sampleRate: clap.configuration.audio.sampleRate, segment: segment) { chunk in
            if samples.count < limit { samples += chunk.prefix(limit - samples.count) }
        }
        return try clap.audioEmbeddings(waveforms: [samples]).embedding.storage
    }

    /// Pooled layer states `[tokenCount, Σ layerWidths]` of one file or segment through MERT or HTS-AT as
    /// `features` names them.
    public func layerStateFeatures(
        of file: URL, segment: AudioSegment? = nil, features: AudioFeatureKind.LayerStateFeatures
    ) throws -> [Float] {
        let encoder = try encoders.audio(features.encoder)
        guard encoder.layerWidths == features.layerWidths else {
            throw FeatureExtractionError.layerWidthsDiffer(expected: features.layerWidths, found: encoder.layerWidths)
        }
        return try Self.layerStateFeatures(encoder: encoder, tokenCount: features.tokenCount) { sink in
            try AudioLoader.stream(file, sampleRate: encoder.sampleRate, segment: segment, sink)
        }
    }

    /// Pooled layer states `[tokenCount, Σ layerWidths]` of the clip whose samples (mono, the encoder's
    /// rate) `source` hands to its sink (see the type's notes for the chunks).
    public static func layerStateFeatures(
        encoder: any LayerStateAudioEncoder, tokenCount: Int, samples source: (_ sink: ([Float]) throws -> Void) throws -> Void
    ) throws -> [Float] {
        var samples: [Float] = []
        try source { samples += $0 }
        let widths = encoder.layerWidths
        var layers = [[Float]](repeating: [], count: widths.count)
        for chunk in chunks(sampleCount: samples.count, window: encoder.windowSampleCount) {
            let states = try encoder.layerStates(samples: Array(samples[chunk]))
            precondition(states.count == widths.count, "\(states.count) layers from an encoder of \(widths.count)")
            for layer in states.indices { layers[layer] += states[layer] }
        }
        let pooled = zip(layers, widths).map { values, width in
            averagePool(values, frameCount: values.count / width, width: width, tokenCount: tokenCount)
        }
        var tokens: [Float] = []
        tokens.reserveCapacity(tokenCount * widths.reduce(0, +))
        for token in 0..<tokenCount {
            for (layer, width) in widths.enumerated() { tokens += pooled[layer][(token * width)..<((token + 1) * width)] }
        }
        return tokens
    }

    /// The fewest equal chunks of at most `window` samples covering `sampleCount` samples (one empty chunk
    /// for no samples, so that the encoder names the clip as too short).
    public static func chunks(sampleCount: Int, window: Int) -> [Range<Int>] {
        precondition(window > 0, "a window of \(window) samples")
        let count = max(1, (sampleCount + window - 1) / window)
        return (0..<count).map { (($0 * sampleCount) / count)..<((($0 + 1) * sampleCount) / count) }
    }

    /// Adaptive average pooling of `[frameCount, width]` into `[tokenCount, width]` (frames are
    /// repeated when there are fewer than tokens).
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

    /// Computes and caches the features of each kind for every entry that does not have them yet.
    /// - Throws: `AudioEncoderWeightsError` when MERT's or HTS-AT's folder is missing or changed; a file that
    ///   does not decode or a clip the encoder cannot read is a failure of that item only.
    /// - Returns: per kind, the cache key of each entry that has those features (by id), and the
    ///   failures (an entry fails once, with the first reason; its other kinds are not attempted).
    public func extract(
        _ entries: [ManifestEntry], manifest: Manifest, kinds: [AudioFeatureKind], showsProgress: Bool = true
    ) throws -> (keys: [AudioFeatureKind: [String: ContentHash]], failures: [FeatureFailure]) {
        var keys: [AudioFeatureKind: [String: ContentHash]] = [:]
        var failures: [FeatureFailure] = []
        var failed: Set<String> = []
        var contents: [String: ContentHash] = [:]
        for entry in entries {
            let url = manifest.audioURL(for: entry)
            do {
                contents[entry.id] = try cache.audioContentHash(file: url, segment: AudioSegment(start: entry.start, end: entry.end))
            } catch {
                failures.append(FeatureFailure(id: entry.id, path: url.path, reason: "cannot read the file: \(error.localizedDescription)"))
                failed.insert(entry.id)
            }
        }
        for kind in kinds {
            // MERT's or HTS-AT's folder is checked against its fingerprint even when every item is cached, so
            // that a changed folder is refused rather than silently paired with features of other weights.
            if let layerStates = kind.layerStates { _ = try encoders.resolve(layerStates.encoder) }
            var found: [String: ContentHash] = [:]
            var missing: [(ManifestEntry, ContentHash)] = []
            for entry in entries where !failed.contains(entry.id) {
                guard let content = contents[entry.id] else { continue }
                let key = cache.audioKey(content: content, kind: kind)
                let cached: Bool
                switch kind {
                case .musicnn: cached = cache.audio.contains(key) && cache.tags.contains(key)
                case .logMel: cached = cache.logMel.contains(key)
                case .clap: cached = cache.clap.contains(key)
                case .mert, .htsat: cached = cache.layerStates.contains(key)
                }
                if cached { found[entry.id] = key } else { missing.append((entry, key)) }
            }
            let progress = ProgressBar(label: kind.description, total: missing.count, enabled: showsProgress && !missing.isEmpty)
            for (index, (entry, key)) in missing.enumerated() {
                let url = manifest.audioURL(for: entry)
                let segment = AudioSegment(start: entry.start, end: entry.end)
                do {
                    switch kind {
                    case .musicnn(let tokenCount):
                        let (tokens, tagProbabilities) = try musicnnFeatures(of: url, segment: segment, tokenCount: tokenCount)
                        try cache.audio.store(tokens, shape: kind.shape, for: key)
                        try cache.tags.store(tagProbabilities, shape: [tagProbabilities.count], for: key)
                    case .logMel(let frameCount):
                        let values = try Self.logMelFeatures(of: url, segment: segment, frameCount: frameCount)
                        try cache.logMel.store(values, shape: kind.shape, for: key)
                    case .clap(let folder, _, _):
                        let values = try Self.clapEmbedding(of: url, segment: segment, clap: try encoders.clap(folder: folder))
                        try cache.clap.store(values, shape: kind.shape, for: key)
                    case .mert(let features), .htsat(let features):
                        let values = try layerStateFeatures(of: url, segment: segment, features: features)
                        try cache.layerStates.store(values, shape: kind.shape, for: key)
                    }
                    found[entry.id] = key
                } catch where error is AudioError || error is EncoderError {
                    // A file that does not decode, or a clip the locked encoder cannot read (too short for
                    // MERT's first frame, say, or empty, with nothing for CLAP to repeat): this item fails,
                    // the others go on.
                    failures.append(FeatureFailure(id: entry.id, path: url.path, reason: error.localizedDescription))
                    failed.insert(entry.id)
                }
                if index % 64 == 63 { try cache.flush() }
                progress.advance()
            }
            try cache.flush()
            if !missing.isEmpty { progress.finish() }
            keys[kind] = found
        }
        return (keys, failures)
    }
}

/// Feature extraction problems that are not the decoder's.
public enum FeatureExtractionError: LocalizedError, Equatable {
    case noUsableItems(split: String)
    /// The encoder read from the folder gives other layers than the model was built for.
    case layerWidthsDiffer(expected: [Int], found: [Int])

    public var errorDescription: String? {
        switch self {
        case .noUsableItems(let split):
            "no item of the \(split) split has audio features"
        case let .layerWidthsDiffer(expected, found):
            "the audio encoder's layers are \(found.count) of widths \(found), the model reads \(expected.count) of widths \(expected)"
        }
    }
}
