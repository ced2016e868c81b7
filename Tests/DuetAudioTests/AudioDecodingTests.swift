import CSndFile
import DuetAudio
import DuetTestSupport
import Foundation
import Testing

/// Decoding, downmixing and resampling of generated files, and the typed errors for bad ones.
@Suite("Audio decoding and resampling")
struct AudioDecodingTests {
    static let formats: [(name: String, format: Int32)] = [
        ("wav", Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16)),
        ("flac", Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16)),
        ("ogg", Int32(SF_FORMAT_OGG | SF_FORMAT_VORBIS)),
        ("opus", Int32(SF_FORMAT_OGG | SF_FORMAT_OPUS)),
        ("mp3", Int32(SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III)),
    ]

    @Test(arguments: formats.map(\.name))
    func decodesEveryFormatToMonoAt16Kilohertz(format name: String) throws {
        let directory = try AudioFileWriter.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let format = try #require(Self.formats.first { $0.name == name }).format
        let rate = name == "opus" ? 48_000 : 44_100
        let url = directory.appendingPathComponent("sine.\(name)")
        try AudioFileWriter.write(AudioFileWriter.stereoSine(seconds: 1, sampleRate: rate), channels: 2, sampleRate: rate, format: format, to: url)
        let samples = try AudioLoader.load(url)
        // Lossy codecs add encoder delay and padding; the lossless ones keep the exact length.
        let tolerance = name == "wav" || name == "flac" ? 0 : 2_000
        #expect(abs(samples.count - 16_000) <= tolerance, "\(name): \(samples.count) samples")
        // The downmix of (s, s/2) is 0.75 s: the steady-state amplitude must be 0.375.
        let middle = samples[4_000..<12_000]
        let peak = middle.map(abs).max() ?? 0
        #expect(abs(peak - 0.375) < 0.03, "\(name): peak \(peak), expected 0.375")
        // 440 Hz survives: count zero crossings over 0.5 s (440 per second, two per period).
        let crossings = zip(middle.dropFirst(), middle).filter { ($0 < 0) != ($1 < 0) }.count
        #expect(abs(crossings - 440) <= 4, "\(name): \(crossings) zero crossings in 0.5 s")
    }

    @Test func resamplerMatchesPythonSoxrHighQuality() throws {
        let input = try Fixtures.floats("resample.input.f32")
        let expected = try Fixtures.floats("resample.output.f32")
        let resampler = try Resampler(from: 44_100, to: 16_000)
        var actual: [Float] = []
        for start in stride(from: 0, to: input.count, by: 5_000) {
            actual += resampler.process(Array(input[start..<min(input.count, start + 5_000)]))
        }
        actual += resampler.finish()
        #expect(actual.count == expected.count, "\(actual.count) samples, python-soxr gave \(expected.count)")
        guard actual.count == expected.count else { return }
        // Same library and quality recipe as python-soxr; soxr's HQ filter is specified to 1e-4 of full
        // scale passband ripple/aliasing, the bound its SIMD code paths stay within on any CPU.
        expectClose(actual, expected, Tolerance(absolute: 1e-4), "resampled against python-soxr HQ")
    }

    @Test func passesThroughAt16KilohertzWithoutResampling() throws {
        let directory = try AudioFileWriter.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("mono.wav")
        let samples: [Float] = (0..<1_000).map { Float($0 % 50) / 100 - 0.25 }
        try AudioFileWriter.write(samples, channels: 1, sampleRate: 16_000, format: Int32(SF_FORMAT_WAV | SF_FORMAT_FLOAT), to: url)
        #expect(try AudioLoader.load(url) == samples)
    }

    @Test func segmentsAreCutSampleExactAcrossChunksAndAfterResampling() throws {
        let directory = try AudioFileWriter.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("ramp.wav")
        let samples: [Float] = (0..<48_000).map { Float($0 % 997) / 2_000 - 0.25 }
        try AudioFileWriter.write(samples, channels: 1, sampleRate: 16_000, format: Int32(SF_FORMAT_WAV | SF_FORMAT_FLOAT), to: url)
        // 0.5 s to 2.25 s at 16 kHz, read in chunks smaller than the segment's offsets.
        var cut: [Float] = []
        try AudioLoader.stream(url, segment: AudioSegment(start: 0.5, end: 2.25), chunkFrames: 3_000) { cut += $0 }
        #expect(cut == Array(samples[8_000..<36_000]))
        #expect(try AudioLoader.load(url, segment: AudioSegment(start: nil, end: 1)) == Array(samples[0..<16_000]))
        #expect(try AudioLoader.load(url, segment: AudioSegment(start: 2.5, end: nil)) == Array(samples[40_000...]))
        // After resampling the cut is made at the output rate: the same as cutting the whole output.
        let resampledURL = directory.appendingPathComponent("sine.flac")
        try AudioFileWriter.write(AudioFileWriter.stereoSine(seconds: 3, sampleRate: 44_100), channels: 2, sampleRate: 44_100,
                                  format: Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16), to: resampledURL)
        let whole = try AudioLoader.load(resampledURL)
        #expect(try AudioLoader.load(resampledURL, segment: AudioSegment(start: 1, end: 2)) == Array(whole[16_000..<32_000]))
    }

    @Test func segmentPastTheEndIsAnError() throws {
        let directory = try AudioFileWriter.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("short.wav")
        try AudioFileWriter.write([Float](repeating: 0.1, count: 16_000), channels: 1, sampleRate: 16_000,
                                  format: Int32(SF_FORMAT_WAV | SF_FORMAT_FLOAT), to: url)
        #expect(throws: AudioError.segmentOutsideAudio(file: url.path, start: 3, duration: 1)) {
            try AudioLoader.load(url, segment: AudioSegment(start: 3, end: 4))
        }
        #expect(AudioSegment(start: nil, end: nil) == nil)
    }

    @Test func streamsInBoundedChunks() throws {
        let directory = try AudioFileWriter.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("long.flac")
        try AudioFileWriter.write(AudioFileWriter.stereoSine(seconds: 5, sampleRate: 44_100), channels: 2, sampleRate: 44_100,
                                  format: Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16), to: url)
        var largestChunk = 0
        var total = 0
        try AudioLoader.stream(url, chunkFrames: 4_096) { chunk in
            largestChunk = max(largestChunk, chunk.count)
            total += chunk.count
        }
        #expect(total == 80_000)
        #expect(largestChunk < 4_096, "a chunk of \(largestChunk) samples: streaming must not accumulate")
    }

    // MARK: errors

    private func expectError(_ url: URL, _ matches: (AudioError) -> Bool) {
        do {
            _ = try AudioLoader.load(url)
            Issue.record("\(url.lastPathComponent) decoded without error")
        } catch let error as AudioError {
            #expect(matches(error), "unexpected error: \(error.localizedDescription)")
            #expect(error.localizedDescription.contains(url.path), "message does not name the file: \(error.localizedDescription)")
        } catch {
            Issue.record("untyped error \(error)")
        }
    }

    @Test func missingFileIsUnreadable() throws {
        let url = URL(fileURLWithPath: "/nonexistent/duet/clip.wav")
        expectError(url) { if case .unreadable = $0 { true } else { false } }
    }

    @Test func textFileIsUnsupported() throws {
        let directory = try AudioFileWriter.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("notes.wav")
        try Data("these are not audio samples, just some text in a file".utf8).write(to: url)
        expectError(url) { if case .unsupported = $0 { true } else if case .truncated = $0 { true } else { false } }
    }

    @Test func zeroByteAndZeroFrameFilesAreEmpty() throws {
        let directory = try AudioFileWriter.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let zeroBytes = directory.appendingPathComponent("zero.wav")
        try Data().write(to: zeroBytes)
        expectError(zeroBytes) { $0 == .empty(file: zeroBytes.path) }
        let noFrames = directory.appendingPathComponent("no-frames.wav")
        try AudioFileWriter.write([], channels: 1, sampleRate: 16_000, format: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16), to: noFrames)
        expectError(noFrames) { $0 == .empty(file: noFrames.path) }
    }

    @Test func digitalSilenceIsRejected() throws {
        let directory = try AudioFileWriter.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("silence.wav")
        try AudioFileWriter.write([Float](repeating: 0, count: 22_050), channels: 1, sampleRate: 22_050,
                                  format: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16), to: url)
        expectError(url) { if case .silent = $0 { true } else { false } }
    }

    /// A WAV written to a pipe (ffmpeg `-f wav -`) keeps RIFF and data sizes of 0xFFFFFFFF: it is
    /// complete, and decodes to the end of the file.
    @Test func streamedWaveWithUnknownSizesDecodes() throws {
        let size = UInt32(0xFFFF_FFFF)
        let directory = try AudioFileWriter.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let samples = (0..<16_000).map { Int16(8_000 * sin(2 * Double.pi * 440 * Double($0) / 16_000)) }
        func little<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }
        var bytes = Array("RIFF".utf8) + little(size) + Array("WAVEfmt ".utf8) + little(UInt32(16))
        bytes += little(UInt16(1)) + little(UInt16(1)) + little(UInt32(16_000)) + little(UInt32(32_000)) + little(UInt16(2)) + little(UInt16(16))
        bytes += Array("data".utf8) + little(size) + samples.flatMap(little)
        let url = directory.appendingPathComponent("piped.wav")
        try Data(bytes).write(to: url)
        let decoded = try AudioLoader.load(url)
        #expect(decoded.count == 16_000)
        expectClose(decoded, samples.map { Float($0) / 32_768 }, .exact, "streamed WAV samples")
    }

    @Test(arguments: ["wav", "flac"])
    func truncatedFilesAreReported(format name: String) throws {
        let directory = try AudioFileWriter.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let format = try #require(Self.formats.first { $0.name == name }).format
        let url = directory.appendingPathComponent("cut.\(name)")
        try AudioFileWriter.write(AudioFileWriter.stereoSine(seconds: 1, sampleRate: 16_000), channels: 2, sampleRate: 16_000, format: format, to: url)
        let data = try Data(contentsOf: url)
        // Cut inside the header: the file cannot be parsed at all.
        let header = directory.appendingPathComponent("header.\(name)")
        try data.prefix(30).write(to: header)
        expectError(header) { if case .truncated = $0 { true } else if case .unsupported = $0 { true } else { false } }
        // Cut inside the data.
        try data.prefix(data.count / 2).write(to: url)
        expectError(url) { if case .truncated = $0 { true } else { false } }
    }
}
