import DuetAudio
import DuetEncoders
import DuetFeatures
import DuetModel
import DuetPipeline
import DuetTensor
import Foundation

extension SearchModel {
    /// Shortest track that is embedded; shorter files fail as "too short" (under a second there is
    /// too little music for the 3-s patches, which would repeat it several times over).
    public static let minimumSeconds: Double = 1

    /// Embeds a whole track: the segments of `SegmentPlan` (at most `segmentCount` of
    /// `segmentSeconds`), each through the locked encoder and the audio branch exactly as a training
    /// clip, each embedding L2-normalised, then their mean L2-normalised:
    /// `v = normalise(Σ_i normalise(f(segment_i)) / c)`.
    ///
    /// The file is decoded once, from its start to the end of the last segment; memory holds one
    /// segment's samples at a time. The result does not depend on other calls (no state is kept),
    /// and the summation order of every step is fixed, so a file gives the same bits in every run at
    /// the same thread count.
    /// - Throws: `AudioError` (unreadable, unsupported, truncated, empty, silent), or
    ///   `TrackTooShortError` for audio under `minimumSeconds`.
    public func embedAudio(file url: URL) throws -> TrackEmbedding {
        let kind = AudioFeatureKind(model: model.configuration)
        let musicnn = kind.isMusicnn ? try encoders.audio() : nil
        let stateEncoder = try kind.layerStates.map { try self.layerStateEncoder(for: $0) }
        // musicnn's and the log-mel front end's 16 kHz, or MERT's / HTS-AT's own rate.
        let sampleRate = stateEncoder?.sampleRate ?? LogMelConfiguration.musicnn.sampleRate
        let header = try AudioDecoder(url: url)
        let duration = Double(header.declaredFrameCount) / Double(header.sampleRate)
        guard duration >= Self.minimumSeconds else { throw TrackTooShortError(file: url.path, duration: duration) }
        let plan = SegmentPlan(duration: duration, length: segmentSeconds, maximumCount: segmentCount)
        let windows = plan.segments.map {
            (start: Int(($0.start * Double(sampleRate)).rounded()), end: Int(($0.end * Double(sampleRate)).rounded()))
        }

        var features: [Float] = []
        var tagSums: [Float] = []
        var starts: [Double] = []
        var buffer: [Float] = []
        var current = 0
        var position = 0
        func analyse(_ samples: [Float]) throws {
            defer { current += 1 }
            guard Double(samples.count) >= Self.minimumSeconds * Double(sampleRate) else { return }
            starts.append(plan.segments[current].start)
            switch kind {
            case .musicnn(let tokenCount):
                guard let musicnn else { preconditionFailure("musicnn is loaded for musicnn features") }
                let (tokens, tags) = try AudioFeatureExtractor.musicnnFeatures(musicnn: musicnn, tokenCount: tokenCount) { try $0(samples) }
                features += tokens
                if tagSums.isEmpty { tagSums = tags } else { for index in tags.indices { tagSums[index] += tags[index] } }
            case .logMel(let frameCount):
                features += try AudioFeatureExtractor.logMelFeatures(frameCount: frameCount) { try $0(samples) }
            case .clap:
                preconditionFailure("a trained model reads musicnn or log-mel features, never CLAP embeddings")
            case .mert(let layerStates), .htsat(let layerStates):
                guard let stateEncoder else { preconditionFailure("the encoder is loaded for layer-state features") }
                features += try AudioFeatureExtractor.layerStateFeatures(encoder: stateEncoder, tokenCount: layerStates.tokenCount) {
                    try $0(samples)
                }
            }
        }
        let lastEnd = plan.segments.last.map(\.end) ?? duration
        try AudioLoader.stream(url, sampleRate: sampleRate, segment: AudioSegment(start: nil, end: lastEnd)) { chunk in
            var offset = 0
            while offset < chunk.count && current < windows.count {
                let window = windows[current]
                let here = position + offset
                if here < window.start {
                    offset += min(chunk.count - offset, window.start - here)
                    continue
                }
                let take = min(chunk.count - offset, window.end - here)
                buffer += chunk[offset..<(offset + take)]
                offset += take
                if position + offset >= window.end {
                    try analyse(buffer)
                    buffer = []
                }
            }
            position += chunk.count
        }
        // A header that overstates the length (MP3 estimates) leaves the last window short.
        while current < windows.count {
            let samples = buffer
            buffer = []
            try analyse(samples)
        }
        guard !starts.isEmpty else { throw TrackTooShortError(file: url.path, duration: Double(position) / Double(sampleRate)) }

        let segmentVectors = embedSegments(features, count: starts.count, kind: kind)
        let tags = tagNames(tagSums, musicnn: musicnn)
        return TrackEmbedding(vector: Self.meanDirection(segmentVectors, count: starts.count, width: dimension),
                              duration: duration, segmentStarts: starts, tags: tags)
    }

    /// MERT or HTS-AT from the folder the checkpoint recorded (or `--audio-encoder-weights`), its
    /// fingerprint checked, and its layers checked against the model's.
    func layerStateEncoder(for features: AudioFeatureKind.LayerStateFeatures) throws -> any LayerStateAudioEncoder {
        let encoder = try encoders.audio(features.encoder)
        guard encoder.layerWidths == features.layerWidths else {
            throw FeatureExtractionError.layerWidthsDiffer(expected: features.layerWidths, found: encoder.layerWidths)
        }
        return encoder
    }

    /// The audio branch over `count` segments' features, each row L2-normalised: `[count, dimension]`.
    func embedSegments(_ features: [Float], count: Int, kind: AudioFeatureKind) -> [Float] {
        forwardLock.withLock {
            withoutGradient {
                model.embedAudio(Tensor(features, shape: [count] + kind.shape)).l2Normalized().storage
            }
        }
    }

    /// `normalise(Σ_i rows_i / count)` over `[count, width]` rows, summed in row order.
    static func meanDirection(_ rows: [Float], count: Int, width: Int) -> [Float] {
        var mean = [Float](repeating: 0, count: width)
        for row in 0..<count {
            for index in 0..<width { mean[index] += rows[row * width + index] }
        }
        return normalised(mean)
    }

    /// `v / max(‖v‖, 1e-12)`.
    public static func normalised(_ vector: [Float]) -> [Float] {
        let norm = max(vector.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
        return vector.map { $0 / norm }
    }

    func tagNames(_ sums: [Float], musicnn: (any LockedAudioEncoder)?) -> [String] {
        guard let musicnn, !sums.isEmpty else { return [] }
        let names = musicnn.tags
        let order: [Int] = sums.indices.sorted { (left: Int, right: Int) -> Bool in
            sums[left] != sums[right] ? sums[left] > sums[right] : left < right
        }
        return order.prefix(Self.storedTagCount).map { (index: Int) -> String in index < names.count ? names[index] : "tag \(index)" }
    }
}

/// A file shorter than `SearchModel.minimumSeconds`.
public struct TrackTooShortError: LocalizedError, Equatable {
    public var file: String
    public var duration: Double

    public var errorDescription: String? {
        "\(file): the audio lasts \(String(format: "%.2f", duration)) s, shorter than the \(String(format: "%.0f", SearchModel.minimumSeconds)) s a track needs"
    }
}
