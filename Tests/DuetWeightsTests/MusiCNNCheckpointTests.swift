import DuetWeights
import Foundation
import Testing

/// The real musicnn checkpoints from the model cache (`make setup`); run with `DUET_TEST_WEIGHTS=1`.
@Suite("musicnn checkpoints", .enabled(if: ProcessInfo.processInfo.environment["DUET_TEST_WEIGHTS"] == "1"))
struct MusiCNNCheckpointTests {
    static var modelsDirectory: URL {
        if let path = ProcessInfo.processInfo.environment["DUET_MODELS"], !path.isEmpty { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("models")
    }

    @Test(arguments: ["MTT_musicnn", "MSD_musicnn"])
    func everyTensorReadsAndPassesItsChecksum(model: String) throws {
        let directory = Self.modelsDirectory.appendingPathComponent("musicnn/\(model)")
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent(".index").path) else {
            Issue.record("DUET_TEST_WEIGHTS=1 but \(directory.path)/.index is missing; run `make setup`")
            return
        }
        let checkpoint = try TensorFlowCheckpoint(directory: directory)
        #expect(checkpoint.entries.count == 150)
        #expect(checkpoint.parameterNames.count == 64)
        var total = 0
        for name in checkpoint.entries.keys.sorted() {
            let values = try checkpoint.floats(named: name)
            if checkpoint.parameterNames.contains(name) { total += values.count }
        }
        #expect(total == 792_079)
        #expect(checkpoint.entries["conv2d/kernel"]?.shape == [7, 38, 1, 204])
        #expect(checkpoint.entries["dense/kernel"]?.shape == [1506, 200])
    }
}
