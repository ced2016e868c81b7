import DuetModel
import DuetPipeline
import DuetTestSupport
import Foundation
import Testing

/// `duet embed-audio`, `index` and `search` (and the options of `serve` and `worker`) on checkpoints over MERT and HTS-AT read from a weights folder
/// (the tiny parity checkpoints): the folder the checkpoint recorded, `--audio-encoder-weights` for a moved
/// folder, and the errors a user sees.
@Suite("audio encoder weights on the command line")
struct AudioEncoderWeightsCommandLineTests {
    static func vector(_ line: Substring) -> [Float] { line.split(separator: " ").compactMap { Float($0) } }

    /// An untrained DuET-MC over `kind` from `weights` (MiniLM text), written to `folder`.
    static func checkpoint(_ kind: AudioEncoderKind, weights: URL, in folder: URL) throws -> (URL, ModelConfiguration) {
        var configuration = ModelConfiguration()
        configuration.embeddingWidth = 16
        configuration.layerCount = 1
        configuration.feedForwardWidth = 32
        configuration.audioTokenCount = 4
        configuration.audioEncoderKind = kind
        configuration.audioEncoderWeights = weights.path
        configuration = try Encoders().resolveAudio(configuration)
        let checkpoint = folder.appendingPathComponent("best-\(kind.rawValue)")
        try ModelCheckpoint.write(MusicTextModel(configuration: configuration, seed: 3), details: ModelCheckpoint.Ignored?.none, to: checkpoint)
        return (checkpoint, configuration)
    }

    @Test func aCheckpointFindsItsAudioEncoderOrIsToldWhere() throws {
        let root = try SearchFixtures.temporaryFolder("cli-audio-weights")
        defer { try? FileManager.default.removeItem(at: root) }
        let track = try SearchFixtures.writeMusic(root.appendingPathComponent("track.wav"), seconds: 3, seed: 5)
        for kind in [AudioEncoderKind.mert, .htsat] {
            let weights = try TinyAudioEncoderFolders.write(kind, into: root.appendingPathComponent(kind.rawValue))
            let (checkpoint, configuration) = try Self.checkpoint(kind, weights: weights, in: root)
            let recorded = try DuetCommand.run(["embed-audio", "--model", checkpoint.path, "--segments", "1", track.path])
            #expect(recorded.status == 0, "\(kind): \(recorded.error)")
            let values = Self.vector(try #require(recorded.output.split(separator: "\n").first))
            #expect(values.count == 16, "\(kind)")
            // Printed with 6 decimals: the norm of 16 rounded values is 1 within 16 · 5e-7.
            #expect(abs(values.reduce(0) { $0 + $1 * $1 }.squareRoot() - 1) < 16 * 5e-7 + 1e-6, "\(kind)")

            let moved = root.appendingPathComponent("moved-\(kind.rawValue)")
            try FileManager.default.moveItem(at: weights, to: moved)
            let lost = try DuetCommand.run(["embed-audio", "--model", checkpoint.path, "--segments", "1", track.path])
            #expect(lost.status != 0 && lost.error.contains(weights.standardizedFileURL.path) && lost.error.contains("audioEncoderWeights"), "\(lost.error)")
            let found = try DuetCommand.run(["embed-audio", "--model", checkpoint.path, "--segments", "1", "--audio-encoder-weights", moved.path, track.path])
            #expect(found.status == 0 && found.output == recorded.output, "\(kind): the same files give the same embedding; \(found.error)")

            // Other weights under the recorded name are refused with both fingerprints.
            let other = try TinyAudioEncoderFolders.write(kind, into: root.appendingPathComponent("other-\(kind.rawValue)"))
            let otherConfiguration = other.appendingPathComponent("config.json")
            try (Data(contentsOf: otherConfiguration) + Data(" ".utf8)).write(to: otherConfiguration)
            let changed = try DuetCommand.run(["embed-audio", "--model", checkpoint.path, "--audio-encoder-weights", other.path, track.path])
            #expect(changed.status != 0 && changed.error.contains(configuration.audioEncoderWeightsFingerprint ?? "?"), "\(changed.error)")

            // The library: index with the moved folder, then search it by text (MiniLM from the model cache).
            let music = root.appendingPathComponent("music-\(kind.rawValue)")
            try FileManager.default.createDirectory(at: music, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: track, to: music.appendingPathComponent("track.wav"))
            let db = root.appendingPathComponent("library-\(kind.rawValue).sqlite").path
            let index = try DuetCommand.run(
                ["index", music.path, "--model", checkpoint.path, "--db", db, "--segments", "1", "--audio-encoder-weights", moved.path])
            #expect(index.status == 0, "\(kind): \(index.error)")
            let search = try DuetCommand.run(["search", "a mellow jazz trio", "--db", db, "--json", "--audio-encoder-weights", moved.path])
            #expect(search.status == 0 && search.output.contains("track.wav"), "\(kind): \(search.output) \(search.error)")
        }
    }

    /// Every command that loads a trained model for a library takes both overrides, the server and the
    /// scale-out worker included (the option group is the one `index` and `search` use above).
    @Test(arguments: ["search", "similar", "index", "embed-audio", "embed-text", "eval", "serve", "worker"])
    func everyModelLoadingCommandTakesTheOverrides(command: String) throws {
        let help = try DuetCommand.run([command, "--help"])
        #expect(help.status == 0, "\(help.error)")
        #expect(help.output.contains("--audio-encoder-weights") && help.output.contains("--text-encoder-weights"), "\(command): \(help.output)")
    }
}
