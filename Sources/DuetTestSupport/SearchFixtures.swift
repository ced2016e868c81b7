import DuetModel
import DuetRandom
import DuetSynth
import DuetTensor
import Foundation

/// Small, generated inputs for the search and server tests: a tiny randomly initialised DuET-MC checkpoint
/// (the from-scratch configuration, so no locked-encoder weights are needed) and short WAV files.
public enum SearchFixtures {
    public static let sampleRate = 16_000

    public static func temporaryFolder(_ name: String = "search") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("duet-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A from-scratch DuET-MC with 16-d embeddings, one layer and a two-block CNN, written to `folder`.
    public static func tinyCheckpoint(in folder: URL, seed: UInt64 = 1) throws -> URL {
        var configuration = ModelConfiguration.fromScratch
        configuration.embeddingWidth = 16
        configuration.layerCount = 1
        configuration.headCount = 2
        configuration.feedForwardWidth = 32
        configuration.logMelFrameCount = 32
        configuration.convolutionChannels = [4, 8]
        let model = MusicTextModel(configuration: configuration, seed: seed)
        let checkpoint = folder.appendingPathComponent("tiny-\(seed)", isDirectory: true)
        try ModelCheckpoint.write(model, details: ModelCheckpoint.Ignored?.none, to: checkpoint)
        return checkpoint
    }

    /// `seconds` of a few seeded sine partials with a slow tremolo and a little noise, in [-0.6, 0.6].
    public static func music(seconds: Double, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        let partials = (0..<3).map { _ in (frequency: 110 + Double(generator.nextUniform()) * 880, phase: Double(generator.nextUniform()) * 6.28) }
        let tremolo = 0.5 + Double(generator.nextUniform()) * 4
        return (0..<Int(seconds * Double(sampleRate))).map { index in
            let time = Double(index) / Double(sampleRate)
            var value = 0.0
            for partial in partials { value += sin(2 * .pi * partial.frequency * time + partial.phase) }
            let envelope = 0.6 + 0.4 * sin(2 * .pi * tremolo * time)
            return Float(0.18 * value * envelope) + 0.01 * (generator.nextUniform() - 0.5)
        }
    }

    /// Writes `music(seconds:seed:)` as a 16-bit WAV file.
    @discardableResult
    public static func writeMusic(_ url: URL, seconds: Double, seed: UInt64) throws -> URL {
        try WaveFile.write(music(seconds: seconds, seed: seed), sampleRate: sampleRate, to: url)
        return url
    }

    /// A library folder of `count` generated tracks of `seconds` each, `track-000.wav`, ...
    public static func library(count: Int, seconds: Double = 12, in folder: URL, seedOffset: UInt64 = 0) throws -> [URL] {
        try (0..<count).map { index in
            try writeMusic(folder.appendingPathComponent(String(format: "track-%03d.wav", index)), seconds: seconds,
                           seed: seedOffset + UInt64(index))
        }
    }

    /// The bad files of a library, one of each kind the indexer reports, named for their kind.
    public static func badFiles(in folder: URL) throws -> [String: URL] {
        var files: [String: URL] = [:]
        let corrupt = folder.appendingPathComponent("corrupt.wav")
        try Data(String(repeating: "this is a text file, not audio\n", count: 128).utf8).write(to: corrupt)
        files["corrupt"] = corrupt
        let truncated = folder.appendingPathComponent("truncated.wav")
        let whole = WaveFile.encode(music(seconds: 8, seed: 99), sampleRate: sampleRate)
        try whole.prefix(whole.count / 3).write(to: truncated)
        files["truncated"] = truncated
        let silent = folder.appendingPathComponent("silent.wav")
        try WaveFile.write([Float](repeating: 0, count: 5 * sampleRate), sampleRate: sampleRate, to: silent)
        files["silent"] = silent
        let short = folder.appendingPathComponent("short.wav")
        try WaveFile.write(music(seconds: 0.4, seed: 5), sampleRate: sampleRate, to: short)
        files["too short"] = short
        return files
    }

    /// The `duet` executable built beside the test bundle.
    public static func duetExecutable() -> URL? {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = bundle.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("duet")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }
}
