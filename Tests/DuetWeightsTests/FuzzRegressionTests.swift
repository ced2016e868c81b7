import Foundation
import Testing

@testable import DuetWeights

/// Inputs the fuzz harnesses (Fuzz/, `make fuzz`) found crashing, kept as regression tests.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static func resource(_ name: String) throws -> URL {
        try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Resources/fuzz-regressions"))
    }

    /// A block handle whose varints overflowed `offset + size` (an arithmetic-overflow trap in debug,
    /// undefined behaviour under -Ounchecked) is now a format error.
    @Test func tensorFlowIndexWithHugeBlockHandleIsMalformed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let prefix = folder.appendingPathComponent("model").path
        try Data(contentsOf: try Self.resource("tensorflow-index-overflow.index")).write(to: URL(fileURLWithPath: prefix + ".index"))
        try Data(count: 64).write(to: URL(fileURLWithPath: prefix + ".data-00000-of-00001"))
        #expect(throws: WeightsError.self) { try TensorFlowCheckpoint(prefix: prefix) }
    }

    /// An empty safetensors file is refused before it is mapped (mapping it leaked a page).
    @Test func emptySafetensorsFileIsMalformedWithoutMapping() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("duet-empty-\(UUID().uuidString).safetensors")
        try Data().write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: WeightsError.malformed(path: url.path, reason: "shorter than its 8-byte header length (0 bytes)")) {
            try SafetensorsFile(url: url)
        }
    }

    /// An empty TensorFlow index is refused before it is read (reading an empty file leaked 4096 bytes in
    /// Foundation; the fuzzer's empty first input found it).
    @Test func emptyTensorFlowIndexIsMalformedWithoutReading() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let prefix = folder.appendingPathComponent("model").path
        try Data().write(to: URL(fileURLWithPath: prefix + ".index"))
        try Data(count: 64).write(to: URL(fileURLWithPath: prefix + ".data-00000-of-00001"))
        #expect(throws: WeightsError.malformed(path: prefix + ".index", reason: "the index file is empty")) {
            try TensorFlowCheckpoint(prefix: prefix)
        }
    }

    /// A packed e5 file whose normalisation map claims 2^31 entries in a few bytes: refused before any
    /// allocation (it asked `reserveCapacity` for 3.9 GB; found by fuzz-e5-model).
    @Test func e5NormalisationCountLargerThanItsBytesIsRefused() throws {
        let data = try Data(contentsOf: try Self.resource("e5-normalisation-count-oom.bin"))
        do {
            _ = try PackedModelFile(data: data, url: URL(fileURLWithPath: "oom.bin"))
            Issue.record("the file was accepted")
        } catch {
            #expect(error.localizedDescription.contains("normalisation"), "\(error.localizedDescription)")
        }
    }
}
