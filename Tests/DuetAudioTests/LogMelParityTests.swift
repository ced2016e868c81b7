import DuetAudio
import DuetTestSupport
import Foundation
import Testing

/// Parity with librosa 0.8.1's `melspectrogram` (fixtures from `Scripts/reference/logmel_reference.py`).
@Suite("Log-mel front end against librosa 0.8.1")
struct LogMelParityTests {
    /// Largest `|a - b| / (|b| + floor)` where `floor = 1e-6 * max|b|` of the frame: the float32 FFT's
    /// rounding noise sits about 1e-7 below a frame's loudest band, so bands far below that are
    /// compared on that scale rather than on their own (near-zero) magnitude.
    static func largestRelativeDifference(_ actual: [Float], _ expected: [Float], bands: Int) -> Float {
        var largest: Float = 0
        for start in stride(from: 0, to: expected.count, by: bands) {
            let frame = expected[start..<(start + bands)]
            let floor = 1e-6 * (frame.max() ?? 0) + 1e-12
            for index in start..<(start + bands) {
                largest = max(largest, abs(actual[index] - expected[index]) / (abs(expected[index]) + floor))
            }
        }
        return largest
    }

    static func input(_ name: String) throws -> [Float] {
        if name == "music" {
            let piano = try AudioLoader.load(Fixtures.url("piano.wav"))
            return Array(piano.prefix(32_000))
        }
        return try Fixtures.floats("\(name).input.f32")
    }

    @Test(arguments: ["tones", "noise", "music"])
    func melPowerMatchesLibrosa(signal: String) throws {
        let samples = try Self.input(signal)
        let expected = try Fixtures.floats("\(signal).mel.f32")
        let stream = MelSpectrogramStream()
        let actual = stream.append(samples) + stream.finish()
        #expect(actual.count == expected.count, "\(actual.count / 96) frames, librosa has \(expected.count / 96)")
        guard actual.count == expected.count else { return }
        let relative = Self.largestRelativeDifference(actual, expected, bands: 96)
        #expect(relative <= 1e-4, "largest relative difference \(relative) on \(signal)")
        // After musicnn's compression (without the float16 rounding) the difference is absolute and tiny.
        let logActual = actual.map { LogMelSpectrogram.compress($0, roundsToHalfPrecision: false) }
        let logExpected = expected.map { LogMelSpectrogram.compress($0, roundsToHalfPrecision: false) }
        // A 512-point float32 FFT (error about log₂512 · u of the frame's energy) and Slaney bands summing at
        // most 257 bins (γ̃(257) ≈ 5.7e-6): 1e-4 relative covers both tenfold; log10(10000 x + 1) keeps it.
        expectClose(logActual, logExpected, Tolerance(absolute: 1e-5, relative: 1e-4), "log-mel on \(signal)")
    }

    @Test func chunkedStreamingEqualsWholeSignal() throws {
        let samples = try Fixtures.floats("noise.input.f32")
        let whole = MelSpectrogramStream()
        let expected = whole.append(samples) + whole.finish()
        let chunked = MelSpectrogramStream()
        var actual: [Float] = []
        var start = 0
        for size in [1, 100, 255, 257, 3000, 511, 7919] + Array(repeating: 4096, count: 10) where start < samples.count {
            let end = min(samples.count, start + size)
            actual += chunked.append(Array(samples[start..<end]))
            start = end
        }
        actual += chunked.append(Array(samples[start...])) + chunked.finish()
        #expect(actual == expected, "chunking changed the output: largest difference \(largestDifference(actual.count == expected.count ? actual : expected, expected))")
    }

    @Test func frameCountFollowsCentredRule() {
        for count in [1, 100, 256, 257, 511, 512, 16_000] {
            let stream = MelSpectrogramStream()
            let frames = (stream.append([Float](repeating: 0.25, count: count)) + stream.finish()).count / 96
            #expect(frames == 1 + count / 256, "\(count) samples gave \(frames) frames")
        }
    }

    @Test func compressionMatchesMusicnnIncludingHalfPrecision() {
        // log10(10000 * float16(x) + 1): 0.1 rounds to 0.0999755859375 in float16.
        #expect(abs(LogMelSpectrogram.compress(0.1, roundsToHalfPrecision: true) - log10(Float(999.755859375) + 1)) < 1e-6)
        #expect(abs(LogMelSpectrogram.compress(0.1, roundsToHalfPrecision: false) - log10(Float(1001))) < 1e-6)
        #expect(LogMelSpectrogram.compress(0, roundsToHalfPrecision: true) == 0)
    }

    @Test func filterBankHasSlaneyAreaNormalisation() {
        let bank = MelFilterBank(sampleRate: 16_000, fftSize: 512, bandCount: 96, maximumFrequency: 8_000)
        // Each triangle peaks at 2 / (f[m+2] - f[m]), so its area in hertz is 1.
        for band in [0, 40, 95] {
            let area = (0..<bank.binCount).reduce(Float(0)) { $0 + bank.weights[band * bank.binCount + $1] } * 16_000 / 512
            #expect(abs(area - 1) < 0.2, "band \(band) area \(area)")
        }
        #expect(abs(MelFilterBank.hertz(fromMel: MelFilterBank.mel(fromHertz: 3_000)) - 3_000) < 1e-9)
        #expect(abs(MelFilterBank.mel(fromHertz: 1_000) - 15) < 1e-12)
    }
}
