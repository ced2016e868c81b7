import Foundation

/// A log-mel spectrogram, `[time, mel]` row-major: `values[frame * bandCount + band]`.
public struct LogMelSpectrogram: Sendable, Equatable {
    public var frameCount: Int
    public var bandCount: Int
    public var values: [Float]

    public init(frameCount: Int, bandCount: Int, values: [Float]) {
        precondition(values.count == frameCount * bandCount,
                     "\(values.count) values for \(frameCount) frames x \(bandCount) bands")
        self.frameCount = frameCount
        self.bandCount = bandCount
        self.values = values
    }

    /// The log-mel spectrogram of a whole mono signal at `configuration.sampleRate`.
    public init(samples: [Float], configuration: LogMelConfiguration = .musicnn) {
        let stream = MelSpectrogramStream(configuration: configuration)
        var power = stream.append(samples)
        power.append(contentsOf: stream.finish())
        self.init(compressing: power, configuration: configuration)
    }

    /// Applies the configuration's ``LogMelScale`` (musicnn's `compress` by default) to mel power
    /// frames laid out `[time, mel]`.
    public init(compressing power: [Float], configuration: LogMelConfiguration) {
        let bands = configuration.melBandCount
        let scale = configuration.scale, rounds = configuration.roundsToHalfPrecision
        self.init(
            frameCount: power.count / bands, bandCount: bands,
            values: power.map { scale.apply($0, roundsToHalfPrecision: rounds) })
    }

    /// `log10(10000 x + 1)`, musicnn's "logC" compression, after optional rounding of `x` to float16
    /// (then computed in float32, as numpy 1.x promotes `10000 * float16` to float32).
    @inline(__always)
    public static func compress(_ power: Float, roundsToHalfPrecision: Bool) -> Float {
        let x = roundsToHalfPrecision ? Float(Float16(power)) : power
        return log10(10_000 * x + 1)
    }
}
