import DuetRandom
import Foundation

/// Seeded audio augmentation of a rendered clip, so that a model cannot key on one rendering:
/// a small speed change (tempo and pitch together), an EQ tilt, a small room, a gain change and
/// light noise. Every parameter is drawn from the clip's own seed; the processing is plain
/// sequential float arithmetic, so the same seed gives the same samples.
public struct AudioAugmentation: Sendable, Equatable, Codable {
    /// Playback-speed factor (1.03: 3 % faster and about half a semitone higher).
    public var speed: Double
    /// Spectral tilt: high band gain `1 + tilt`, low band gain `1 - tilt` around a 1 kHz split.
    public var tilt: Double
    /// Wet share of the room reverb (0 dry).
    public var roomMix: Double
    /// Room size: scales the comb-filter delays (0.6 small ... 1.2 larger).
    public var roomSize: Double
    /// Gain after loudness normalisation, in dB.
    public var gainDecibels: Double
    /// White-noise level relative to the clip's RMS, in dB (e.g. -40).
    public var noiseDecibels: Double
    /// Seed of the noise samples.
    public var noiseSeed: UInt64

    /// No change at all.
    public static let identity = AudioAugmentation(
        speed: 1, tilt: 0, roomMix: 0, roomSize: 1, gainDecibels: 0, noiseDecibels: -200, noiseSeed: 0)

    /// Draws the parameters: speed 0.96-1.04, tilt ±0.35, room mix 0-0.3, gain ±3 dB, noise -50 to -32 dB.
    public static func random(using generator: inout SeededGenerator) -> AudioAugmentation {
        AudioAugmentation(
            speed: generator.double(in: 0.96...1.04), tilt: generator.double(in: -0.35...0.35),
            roomMix: generator.double(in: 0...0.3), roomSize: generator.double(in: 0.6...1.2),
            gainDecibels: generator.double(in: -3...3), noiseDecibels: generator.double(in: -50...(-32)),
            noiseSeed: generator.next())
    }

    /// The processing before loudness normalisation: speed, tilt, room.
    public func colour(_ samples: [Float], sampleRate: Int) -> [Float] {
        var output = Self.resampled(samples, speed: speed)
        if tilt != 0 { Self.applyTilt(&output, tilt: Float(tilt), sampleRate: sampleRate) }
        if roomMix > 0 { Self.applyRoom(&output, mix: Float(roomMix), size: roomSize, sampleRate: sampleRate) }
        return output
    }

    /// The processing after loudness normalisation: gain, then noise; the peak is kept ≤ 0.97.
    public func finish(_ samples: inout [Float]) {
        guard !samples.isEmpty else { return }
        let gain = Float(pow(10, gainDecibels / 20))
        var sumOfSquares = 0.0
        for index in samples.indices {
            samples[index] *= gain
            sumOfSquares += Double(samples[index]) * Double(samples[index])
        }
        let rms = (sumOfSquares / Double(samples.count)).squareRoot()
        let noiseLevel = Float(rms * pow(10, noiseDecibels / 20))
        if noiseDecibels > -150, noiseLevel > 0 {
            var generator = SeededGenerator(seed: noiseSeed)
            for index in samples.indices {
                // Uniform noise with the wanted RMS (uniform on [-a, a] has RMS a / sqrt 3).
                samples[index] += noiseLevel * Float(3.0.squareRoot()) * Float(generator.double(in: -1...1))
            }
        }
        var peak: Float = 0
        for sample in samples { peak = max(peak, abs(sample)) }
        if peak > 0.97 {
            let scale = 0.97 / peak
            for index in samples.indices { samples[index] *= scale }
        }
    }

    /// Linear-interpolation resampling read at `speed` samples per output sample; the output
    /// keeps the input's length (zeros after the input runs out when faster).
    static func resampled(_ samples: [Float], speed: Double) -> [Float] {
        guard speed != 1, samples.count > 1 else { return samples }
        var output = [Float](repeating: 0, count: samples.count)
        for index in output.indices {
            let position = Double(index) * speed
            let lower = Int(position)
            guard lower + 1 < samples.count else { break }
            let fraction = Float(position - Double(lower))
            output[index] = samples[lower] + fraction * (samples[lower + 1] - samples[lower])
        }
        return output
    }

    /// One-pole low-pass split at 1 kHz: `low * (1 - tilt) + high * (1 + tilt)`.
    static func applyTilt(_ samples: inout [Float], tilt: Float, sampleRate: Int) {
        let coefficient = Float(exp(-2 * Double.pi * 1000 / Double(sampleRate)))
        var low: Float = 0
        for index in samples.indices {
            let input = samples[index]
            low = (1 - coefficient) * input + coefficient * low
            samples[index] = low * (1 - tilt) + (input - low) * (1 + tilt)
        }
    }

    /// A Schroeder room: four parallel feedback combs (delays 29.7-45.3 ms times `size`,
    /// feedback 0.7) into two series all-passes (5 and 1.7 ms, gain 0.7), mixed in at `mix`.
    static func applyRoom(_ samples: inout [Float], mix: Float, size: Double, sampleRate: Int) {
        let combDelays = [0.0297, 0.0371, 0.0411, 0.0453].map { max(1, Int($0 * size * Double(sampleRate))) }
        var combs = combDelays.map { [Float](repeating: 0, count: $0) }
        var combPositions = [Int](repeating: 0, count: combs.count)
        let allPassDelays = [0.005, 0.0017].map { max(1, Int($0 * Double(sampleRate))) }
        var allPasses = allPassDelays.map { [Float](repeating: 0, count: $0) }
        var allPassPositions = [Int](repeating: 0, count: allPasses.count)
        for index in samples.indices {
            let input = samples[index]
            var wet: Float = 0
            for comb in combs.indices {
                let delayed = combs[comb][combPositions[comb]]
                combs[comb][combPositions[comb]] = input + 0.7 * delayed
                combPositions[comb] = (combPositions[comb] + 1) % combs[comb].count
                wet += delayed
            }
            wet *= 0.25
            for pass in allPasses.indices {
                let delayed = allPasses[pass][allPassPositions[pass]]
                let output = -0.7 * wet + delayed
                allPasses[pass][allPassPositions[pass]] = wet + 0.7 * output
                allPassPositions[pass] = (allPassPositions[pass] + 1) % allPasses[pass].count
                wet = output
            }
            samples[index] = (1 - mix) * input + mix * wet
        }
    }
}
