import Foundation

/// Decode, downmix and resample in one pass: the audio input of every Duet encoder.
public enum AudioLoader {
    /// Samples whose magnitude never exceeds this (-120 dBFS) count as digital silence.
    public static let silenceThreshold: Float = 1e-6

    /// Streams `url` as mono at `sampleRate` hertz, handing `body` consecutive chunks.
    ///
    /// Memory is bounded by `chunkFrames`, whatever the track length. Silence is only known at the end,
    /// so `body` may have seen chunks before `AudioError.silent` is thrown.
    /// - Parameters:
    ///   - sampleRate: output rate; the file's own rate passes through without resampling.
    ///   - segment: when given, only the samples from `start` to `end` seconds (either may be nil:
    ///     the file's start or end) reach `body`; the file is decoded from its start and the cut is
    ///     made at the output rate, sample-exact (`⌊start·rate⌉ ..< ⌊end·rate⌉`).
    ///   - chunkFrames: frames decoded per libsndfile read.
    /// - Throws: `AudioError` naming the file and the reason; errors from `body` pass through.
    public static func stream(
        _ url: URL, sampleRate: Int = 16_000, segment: AudioSegment? = nil, chunkFrames: Int = 65_536,
        _ body: ([Float]) throws -> Void
    ) throws {
        let decoder = try AudioDecoder(url: url)
        let resampler = decoder.sampleRate == sampleRate
            ? nil : try Resampler(from: decoder.sampleRate, to: sampleRate, file: url.path)
        let firstSample = segment?.firstSample(sampleRate: sampleRate) ?? 0
        let endSample = segment?.endSample(sampleRate: sampleRate) ?? Int.max
        var loudest: Float = 0
        var position = 0
        var emitted = 0
        func emit(_ samples: [Float]) throws {
            let start = position
            position += samples.count
            // The part of [start, position) that lies inside the segment.
            let lower = max(start, firstSample), upper = min(position, endSample)
            guard lower < upper else { return }
            let kept = lower == start && upper == position ? samples : Array(samples[(lower - start)..<(upper - start)])
            for sample in kept { loudest = max(loudest, abs(sample)) }
            emitted += kept.count
            try body(kept)
        }
        while position < endSample {
            let chunk = try decoder.readMono(maximumFrames: chunkFrames)
            if chunk.isEmpty { break }
            try emit(resampler?.process(chunk) ?? chunk)
        }
        if let resampler, position < endSample { try emit(resampler.finish()) }
        guard decoder.decodedFrameCount > 0 else { throw AudioError.empty(file: url.path) }
        if let segment, emitted == 0 {
            throw AudioError.segmentOutsideAudio(file: url.path, start: segment.start ?? 0, duration: Double(position) / Double(sampleRate))
        }
        guard loudest > silenceThreshold else { throw AudioError.silent(file: url.path, frames: emitted) }
    }

    /// The whole file as mono samples at `sampleRate` hertz (see `stream` for the rules and errors).
    public static func load(_ url: URL, sampleRate: Int = 16_000, segment: AudioSegment? = nil) throws -> [Float] {
        var samples: [Float] = []
        try stream(url, sampleRate: sampleRate, segment: segment) { samples.append(contentsOf: $0) }
        return samples
    }
}

/// A time range of a file in seconds; nil bounds are the file's start or end. A range that holds
/// no audio (empty, or past the end of the file) makes `AudioLoader.stream` throw
/// `AudioError.segmentOutsideAudio`.
public struct AudioSegment: Sendable, Equatable, Hashable {
    public var start: Double?
    public var end: Double?

    /// A segment, or nil when neither bound is given (the whole file).
    public init?(start: Double?, end: Double?) {
        guard start != nil || end != nil else { return nil }
        self.start = start
        self.end = end
    }

    func firstSample(sampleRate: Int) -> Int { Int(((start ?? 0) * Double(sampleRate)).rounded()) }
    func endSample(sampleRate: Int) -> Int { end.map { Int(($0 * Double(sampleRate)).rounded()) } ?? Int.max }
}
