import DuetModel
import DuetPipeline
import DuetTestSupport
import Foundation
import Testing

/// `duet embed-text` with the towers read from a weights folder, and a checkpoint trained on one: the folder it
/// recorded, `--text-encoder-weights` for a moved folder, and the errors a user sees.
@Suite("text encoder weights on the command line")
struct TextEncoderWeightsCommandLineTests {
    static func vector(_ line: Substring) -> [Float] { line.split(separator: " ").compactMap { Float($0) } }

    @Test func embedTextReadsATowerFromItsFolder() throws {
        let root = try SearchFixtures.temporaryFolder("cli-text-weights")
        defer { try? FileManager.default.removeItem(at: root) }
        for kind in [TextEncoderKind.roberta, .t5] {
            let weights = try TinyTextEncoderFolders.write(kind, into: root.appendingPathComponent(kind.rawValue))
            let run = try DuetCommand.run(["embed-text", "--encoder", kind.rawValue, "--text-encoder-weights", weights.path, "a mellow jazz trio", "loud drums"])
            #expect(run.status == 0, "\(kind): \(run.error)")
            let lines = run.output.split(separator: "\n")
            #expect(lines.count == 2, "\(kind): \(run.output)")
            for line in lines {
                let values = Self.vector(line)
                #expect(values.count == 32, "\(kind): the tower's hidden size")
                // Printed with 6 decimals: the norm of 32 rounded values is 1 within 32 · 5e-7.
                #expect(abs(values.reduce(0) { $0 + $1 * $1 }.squareRoot() - 1) < 32 * 5e-7 + 1e-6, "\(kind)")
            }
            let tokens = try DuetCommand.run(["embed-text", "--encoder", kind.rawValue, "--text-encoder-weights", weights.path, "--tokens", "jazz"])
            #expect(tokens.status == 0 && tokens.output.contains("</s>"), "\(kind): \(tokens.output) \(tokens.error)")
        }

        let missing = try DuetCommand.run(["embed-text", "--encoder", "clip-text", "a mellow jazz trio"])
        #expect(missing.status != 0 && missing.error.contains("--text-encoder-weights"), "\(missing.error)")
        let nowhere = root.appendingPathComponent("nowhere").path
        let absent = try DuetCommand.run(["embed-text", "--encoder", "mt5", "--text-encoder-weights", nowhere, "x"])
        #expect(absent.status != 0 && absent.error.contains(nowhere), "\(absent.error)")
        let misplaced = try DuetCommand.run(["embed-text", "--encoder", "minilm", "--text-encoder-weights", root.path, "x"])
        #expect(misplaced.status != 0 && misplaced.error.contains("minilm"), "\(misplaced.error)")
        let bench = try DuetCommand.run(["bench-text", "--captions", nowhere, "--encoder", "roberta"])
        #expect(bench.status != 0 && bench.error.contains("--text-encoder-weights"), "\(bench.error)")
        let stray = try DuetCommand.run(["bench-text", "--captions", nowhere, "--text-encoder-weights", root.path])
        #expect(stray.status != 0 && stray.error.contains("minilm"), "\(stray.error)")

        // bench-text times a folder tower: every caption once per repeat, with its mean token count.
        let captions = root.appendingPathComponent("captions.txt")
        try "a mellow jazz trio\nloud drums and a distorted electric guitar\nsoft piano\n".write(to: captions, atomically: true, encoding: .utf8)
        let weights = root.appendingPathComponent(TextEncoderKind.t5.rawValue)
        let timed = try DuetCommand.run(
            ["bench-text", "--encoder", "t5", "--text-encoder-weights", weights.path, "--captions", captions.path, "--batch", "2", "--repeats", "1"])
        #expect(timed.status == 0, "\(timed.error)")
        #expect(timed.output.contains("encoder=t5 batch=2 sentences=3 ") && timed.output.contains("sentences/s=")
                && timed.output.contains("tokens/sentence=") && timed.output.contains("peak-MB="), "\(timed.output)")
    }

    /// A checkpoint on the RoBERTa tower: its text embedding reads the recorded folder; moved, the folder is
    /// named in the error and found again with `--text-encoder-weights`, giving the same embedding.
    @Test func aCheckpointFindsItsTowerOrIsToldWhere() throws {
        let root = try SearchFixtures.temporaryFolder("cli-text-checkpoint")
        defer { try? FileManager.default.removeItem(at: root) }
        let weights = try TinyTextEncoderFolders.write(.roberta, into: root.appendingPathComponent("roberta"))
        var configuration = ModelConfiguration()
        configuration.embeddingWidth = 16
        configuration.layerCount = 1
        configuration.feedForwardWidth = 32
        configuration.textWidth = 32
        configuration.textEncoderSelection = try Encoders().resolve(TextEncoderSelection(kind: .roberta, weightsFolder: weights.path))
        let checkpoint = root.appendingPathComponent("best")
        try ModelCheckpoint.write(MusicTextModel(configuration: configuration, seed: 3), details: ModelCheckpoint.Ignored?.none, to: checkpoint)

        let recorded = try DuetCommand.run(["embed-text", "--model", checkpoint.path, "a mellow jazz trio"])
        #expect(recorded.status == 0, "\(recorded.error)")
        let embedding = Self.vector(try #require(recorded.output.split(separator: "\n").first))
        #expect(embedding.count == 16)

        let moved = root.appendingPathComponent("moved")
        try FileManager.default.moveItem(at: weights, to: moved)
        let lost = try DuetCommand.run(["embed-text", "--model", checkpoint.path, "a mellow jazz trio"])
        #expect(lost.status != 0 && lost.error.contains(weights.standardizedFileURL.path) && lost.error.contains("textEncoderWeights"), "\(lost.error)")
        let found = try DuetCommand.run(["embed-text", "--model", checkpoint.path, "--text-encoder-weights", moved.path, "a mellow jazz trio"])
        #expect(found.status == 0, "\(found.error)")
        #expect(found.output == recorded.output, "the same files give the same embedding")

        // Other weights under the recorded name are refused with both fingerprints.
        let other = try TinyTextEncoderFolders.write(.roberta, into: root.appendingPathComponent("other"))
        try Data("{}".utf8).write(to: other.appendingPathComponent("merges.txt"))
        let changed = try DuetCommand.run(["embed-text", "--model", checkpoint.path, "--text-encoder-weights", other.path, "x"])
        #expect(changed.status != 0 && changed.error.contains(configuration.textEncoderWeightsFingerprint ?? "?"), "\(changed.error)")
    }
}
