/// Cuts a stream of log-mel frames into the fixed-length patches musicnn takes.
///
/// Patches are consecutive and non-overlapping, `patchFrameCount` frames each (187 frames = 3 s for
/// musicnn), as `extractor.batch_data` with the default `input_overlap=False`. The rule for the rest:
/// - A clip with at least one full patch: the trailing partial patch is dropped (as the original).
/// - A clip shorter than one patch (under 3 s): its frames are repeated cyclically up to one patch
///   ("repeat-pad", the `pad_short` setting musicnn was trained with), so it still yields one patch.
///   The original `extractor` fails on such clips instead.
public final class LogMelPatcher {
    public let patchFrameCount: Int
    public let bandCount: Int
    private var pending: [Float] = []
    private var emittedCount = 0

    public init(patchFrameCount: Int = LogMelConfiguration.musicnn.patchFrameCount,
                bandCount: Int = LogMelConfiguration.musicnn.melBandCount) {
        precondition(patchFrameCount > 0 && bandCount > 0, "patch \(patchFrameCount) x \(bandCount) must be positive")
        self.patchFrameCount = patchFrameCount
        self.bandCount = bandCount
    }

    /// Adds frames (`[time, mel]` row-major); returns the patches they complete, each `[patchFrameCount, bandCount]`.
    public func append(_ frames: [Float]) -> [[Float]] {
        precondition(frames.count % bandCount == 0, "\(frames.count) values are not whole frames of \(bandCount) bands")
        pending.append(contentsOf: frames)
        let patchSize = patchFrameCount * bandCount
        var patches: [[Float]] = []
        var start = 0
        while pending.count - start >= patchSize {
            patches.append(Array(pending[start..<(start + patchSize)]))
            start += patchSize
        }
        if start > 0 { pending.removeFirst(start) }
        emittedCount += patches.count
        return patches
    }

    /// Ends the clip: the repeat-padded patch of a short clip, or nothing (the partial patch is dropped).
    public func finish() -> [[Float]] {
        defer { pending = [] }
        guard emittedCount == 0, !pending.isEmpty else { return [] }
        let patchSize = patchFrameCount * bandCount
        emittedCount = 1
        return [(0..<patchSize).map { pending[$0 % pending.count] }]
    }

    /// All patches of a whole spectrogram under the same rule.
    public static func patches(of spectrogram: LogMelSpectrogram, patchFrameCount: Int = 187) -> [[Float]] {
        let patcher = LogMelPatcher(patchFrameCount: patchFrameCount, bandCount: spectrogram.bandCount)
        return patcher.append(spectrogram.values) + patcher.finish()
    }
}
