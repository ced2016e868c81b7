import DuetTensor
import DuetTestSupport
import Foundation
import Testing
@testable import DuetWeights

@Suite("Safetensors")
struct SafetensorsTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-safetensors-\(UUID().uuidString)")

    @Test func roundTripsFloat32AndHalf() throws {
        let url = folder.appendingPathComponent("weights.safetensors")
        let tensors = ["layer.weight": Tensor([1, -2, 3.5, 4, 5, 6], shape: [2, 3]), "bias": Tensor([0.25], shape: [1])]
        try Safetensors.write(tensors, to: url, metadata: ["format": "pt"])
        let file = try SafetensorsFile(url: url)
        #expect(file.names == ["bias", "layer.weight"])
        #expect(file.metadata == ["format": "pt"])
        #expect(try file.tensor(named: "layer.weight").storage == [1, -2, 3.5, 4, 5, 6])
        #expect(try file.tensor(named: "layer.weight").shape == [2, 3])

        try Safetensors.write(tensors, to: url, halfPrecision: true)
        let half = try SafetensorsFile(url: url)
        #expect(half.entries["bias"]?.dataType == "F16")
        #expect(try half.tensor(named: "layer.weight").storage == [1, -2, 3.5, 4, 5, 6])
        try? FileManager.default.removeItem(at: folder)
    }

    @Test func strictLookupNamesTheKeyAndShape() throws {
        let url = folder.appendingPathComponent("weights.safetensors")
        try Safetensors.write(["a": Tensor([1, 2], shape: [2])], to: url)
        let file = try SafetensorsFile(url: url)
        #expect(throws: WeightsError.missingKey(name: "b", path: url.path)) { try file.tensor(named: "b") }
        #expect(throws: WeightsError.shapeMismatch(name: "a", expected: [3], found: [2], path: url.path)) {
            try file.tensor(named: "a", expectedShape: [3])
        }
        try? FileManager.default.removeItem(at: folder)
    }

    @Test func rejectsTruncatedFiles() throws {
        let url = folder.appendingPathComponent("weights.safetensors")
        try Safetensors.write(["a": Tensor([1, 2, 3, 4], shape: [4])], to: url)
        let data = try Data(contentsOf: url)
        try data.prefix(data.count - 4).write(to: url)
        #expect(throws: WeightsError.self) { try SafetensorsFile(url: url) }
        try Data([1, 2, 3]).write(to: url)
        #expect(throws: WeightsError.self) { try SafetensorsFile(url: url) }
        try? FileManager.default.removeItem(at: folder)
    }

    @Test func missingCacheFileNamesSetup() {
        #expect {
            try ModelCache.require("no-such-model/weights.bin")
        } throws: { error in
            (error as? LocalizedError)?.errorDescription?.contains("make setup") == true
        }
    }
}
