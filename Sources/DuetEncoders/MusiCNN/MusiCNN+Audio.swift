import DuetAudio
import Foundation

/// A file's musicnn tags: the mean of the per-patch probabilities, as `musicnn.tagger.top_tags` does.
public struct MusiCNNFileTags: Sendable, Codable, Equatable {
    public struct Tag: Sendable, Codable, Equatable {
        public var name: String
        public var probability: Float
    }

    public var file: String
    public var model: String
    /// 3-s patches the clip was cut into (see `LogMelPatcher` for the short-clip rule).
    public var patchCount: Int
    /// Every tag with its mean probability, most likely first.
    public var tags: [Tag]

    /// The `count` most likely tags.
    public func top(_ count: Int) -> [Tag] { Array(tags.prefix(count)) }
}

extension MusiCNN {
    /// Streams `url` through decode, resampling, the log-mel front end and the network, `batchSize`
    /// patches at a time, handing each patch's features to `body` in order. Memory stays bounded by
    /// one batch, whatever the track length. With a `segment`, only that part of the file is analysed.
    /// - Throws: `AudioError` for unreadable, unsupported, truncated, empty or silent files.
    public func analyse(
        file url: URL, segment: AudioSegment? = nil, batchSize: Int = 8, _ body: (MusiCNNPatchFeatures) throws -> Void
    ) throws {
        try analyse(samples: { sink in
            try AudioLoader.stream(url, sampleRate: configuration.logMel.sampleRate, segment: segment, sink)
        }, batchSize: batchSize, body)
    }

    /// Runs the front end and the network over mono samples at `configuration.logMel.sampleRate`
    /// that `source` hands to its sink in order (one clip: patches follow `LogMelPatcher`'s rules,
    /// a clip under 3 s is repeat-padded to one patch), `batchSize` patches at a time.
    public func analyse(
        samples source: (_ sink: ([Float]) throws -> Void) throws -> Void, batchSize: Int = 8,
        _ body: (MusiCNNPatchFeatures) throws -> Void
    ) throws {
        precondition(batchSize > 0, "batchSize must be positive, got \(batchSize)")
        // `source` calls the sink synchronously and never keeps it, so `body` does not escape.
        try withoutActuallyEscaping(body) { body in try analyse(samples: source, batchSize: batchSize, escapable: body) }
    }

    private func analyse(
        samples source: (_ sink: ([Float]) throws -> Void) throws -> Void, batchSize: Int,
        escapable body: @escaping (MusiCNNPatchFeatures) throws -> Void
    ) throws {
        let logMel = configuration.logMel
        let spectrogram = MelSpectrogramStream(configuration: logMel)
        let patcher = LogMelPatcher(patchFrameCount: logMel.patchFrameCount, bandCount: logMel.melBandCount)
        var pending: [[Float]] = []
        func compress(_ power: [Float]) -> [Float] {
            power.map { LogMelSpectrogram.compress($0, roundsToHalfPrecision: logMel.roundsToHalfPrecision) }
        }
        func flush(_ force: Bool) throws {
            while pending.count >= batchSize || (force && !pending.isEmpty) {
                let batch = Array(pending.prefix(batchSize))
                pending.removeFirst(batch.count)
                for features in self(batch) { try body(features) }
            }
        }
        try source { samples in
            pending += patcher.append(compress(spectrogram.append(samples)))
            try flush(false)
        }
        pending += patcher.append(compress(spectrogram.finish()))
        pending += patcher.finish()
        try flush(true)
    }

    /// Tags `url`: the per-patch probabilities averaged over all patches, sorted most likely first.
    public func tags(ofFile url: URL, batchSize: Int = 8) throws -> MusiCNNFileTags {
        var sums = [Double](repeating: 0, count: configuration.classCount)
        var count = 0
        try analyse(file: url, batchSize: batchSize) { features in
            for (index, probability) in features.tagProbabilities.enumerated() { sums[index] += Double(probability) }
            count += 1
        }
        let names = tags.isEmpty ? (0..<configuration.classCount).map { "tag \($0)" } : tags
        let ranked = sums.indices
            .map { MusiCNNFileTags.Tag(name: names[$0], probability: Float(sums[$0] / Double(max(1, count)))) }
            .sorted { $0.probability > $1.probability }
        return MusiCNNFileTags(file: url.path, model: model?.rawValue ?? "custom", patchCount: count, tags: ranked)
    }
}
