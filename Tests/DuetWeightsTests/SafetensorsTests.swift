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

    /// Writes a safetensors file by hand: `header` as JSON, then `payload`.
    func handWritten(_ header: String, payload: [UInt8]) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("hand-\(UUID().uuidString).safetensors")
        let json = Array(header.utf8)
        try Data(withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init) + json + payload).write(to: url)
        return url
    }

    @Test func rejectsOverlappingAndOverflowingEntries() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let payload = [UInt8](repeating: 0, count: 16)
        let overlapping = try handWritten(
            #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, payload: payload)
        #expect(throws: WeightsError.malformed(path: overlapping.path, reason: "entries 'a' (bytes 0..<8) and 'b' (bytes 4..<12) overlap")) {
            try SafetensorsFile(url: overlapping)
        }
        let huge = try handWritten(
            #"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,16]}}"#, payload: payload)
        #expect(throws: WeightsError.malformed(path: huge.path, reason: "entry 'a' has an invalid shape [4611686018427387904, 4]")) {
            try SafetensorsFile(url: huge)
        }
        let negative = try handWritten(#"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[8,0]}}"#, payload: payload)
        #expect(throws: WeightsError.malformed(path: negative.path, reason: "entry 'a' has an invalid shape [-2]")) {
            try SafetensorsFile(url: negative)
        }
        let backwards = try handWritten(#"{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}"#, payload: payload)
        #expect(throws: WeightsError.self) { try SafetensorsFile(url: backwards) }
    }

    @Test func nonFiniteWeightsAreNamed() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("nan.safetensors")
        try Safetensors.write(["good": Tensor([1, 2], shape: [2]), "bad": Tensor([0, 1, .nan], shape: [3])], to: url)
        let file = try SafetensorsFile(url: url)
        #expect(try file.tensor(named: "good").storage == [1, 2])
        do {
            _ = try file.tensor(named: "bad")
            Issue.record("a NaN weight loaded")
        } catch let error as WeightsError {
            guard case .nonFinite(let name, let index, _, let path) = error else { Issue.record("\(error)"); return }
            #expect(name == "bad" && index == 2 && path == url.path)
        }
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
