import DuetModel
import Foundation
import Testing

/// Checkpoints record the text tower: its kind and, for the towers read from a folder, the folder and the
/// fingerprint of its files; checkpoints written before those keys existed load as MiniLM.
@Suite("Text encoder in checkpoints")
struct TextEncoderCheckpointTests {
    static func smallConfiguration() -> ModelConfiguration {
        var configuration = ModelConfiguration()
        configuration.embeddingWidth = 16
        configuration.feedForwardWidth = 32
        configuration.audioLayerWidths = [6, 2]
        configuration.textWidth = 8
        return configuration
    }

    @Test func aFolderTowerRoundTripsWithItsFolderAndFingerprint() throws {
        var configuration = Self.smallConfiguration()
        configuration.textEncoderSelection = TextEncoderSelection(kind: .t5, weightsFolder: "/weights/flan-t5-base", weightsFingerprint: "0123456789abcdef")
        #expect(configuration.textEncoder == TextEncoderKind.t5.identity(weightsFingerprint: "0123456789abcdef"))
        #expect(configuration.encoderSummary == "musicnn + T5")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-text-checkpoint-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try ModelCheckpoint.write(MusicTextModel(configuration: configuration, seed: 1), details: [String: Int](), to: folder)
        let loaded = try ModelCheckpoint.loadModel(from: folder).configuration
        #expect(loaded == configuration)
        #expect(loaded.textEncoderSelection == TextEncoderSelection(kind: .t5, weightsFolder: "/weights/flan-t5-base", weightsFingerprint: "0123456789abcdef"))
        let written = try #require(
            JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(ModelCheckpoint.configurationFile))) as? [String: Any])
        let model = try #require(written["model"] as? [String: Any])
        #expect(model["textEncoderKind"] as? String == "t5" && model["textEncoderWeights"] as? String == "/weights/flan-t5-base")
        #expect(model["textEncoderWeightsFingerprint"] as? String == "0123456789abcdef")
    }

    @Test func anOldCheckpointStillLoadsAsMiniLM() throws {
        let configuration = Self.smallConfiguration()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-old-checkpoint-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try ModelCheckpoint.write(MusicTextModel(configuration: configuration, seed: 1), details: [String: Int](), to: folder)
        // Strip every text-encoder key added since the first checkpoints.
        let url = folder.appendingPathComponent(ModelCheckpoint.configurationFile)
        var written = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var model = try #require(written["model"] as? [String: Any])
        for key in ["textEncoderKind", "textEncoderWeights", "textEncoderWeightsFingerprint", "textStandardization"] { model.removeValue(forKey: key) }
        written["model"] = model
        try JSONSerialization.data(withJSONObject: written).write(to: url)
        let loaded = try ModelCheckpoint.loadModel(from: folder).configuration
        #expect(loaded.textEncoderKind == .miniLM && loaded.textEncoder == .miniLM)
        #expect(loaded.textEncoderWeights == nil && loaded.textEncoderWeightsFingerprint == nil)
        #expect(loaded.textEncoderSelection == TextEncoderSelection(kind: .miniLM))
    }
}
