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
    ///   - chunkFrames: frames decoded per libsndfile read.
    /// - Throws: `AudioError` naming the file and the reason; errors from `body` pass through.
    public static func stream(
        _ url: URL, sampleRate: Int = 16_000, chunkFrames: Int = 65_536, _ body: ([Float]) throws -> Void
    ) throws {
        let decoder = try AudioDecoder(url: url)
        let resampler = decoder.sampleRate == sampleRate
            ? nil : try Resampler(from: decoder.sampleRate, to: sampleRate, file: url.path)
        var loudest: Float = 0
        var total = 0
        func emit(_ samples: [Float]) throws {
            guard !samples.isEmpty else { return }
            for sample in samples { loudest = max(loudest, abs(sample)) }
            total += samples.count
            try body(samples)
        }
        while true {
            let chunk = try decoder.readMono(maximumFrames: chunkFrames)
            if chunk.isEmpty { break }
            try emit(resampler?.process(chunk) ?? chunk)
        }
        if let resampler { try emit(resampler.finish()) }
        guard decoder.decodedFrameCount > 0 else { throw AudioError.empty(file: url.path) }
        guard loudest > silenceThreshold else { throw AudioError.silent(file: url.path, frames: decoder.decodedFrameCount) }
    }

    /// The whole file as mono samples at `sampleRate` hertz (see `stream` for the rules and errors).
    public static func load(_ url: URL, sampleRate: Int = 16_000) throws -> [Float] {
        var samples: [Float] = []
        try stream(url, sampleRate: sampleRate) { samples.append(contentsOf: $0) }
        return samples
    }
}
