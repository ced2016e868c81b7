import DuetTestSupport
@testable import DuetWeights
import Foundation
import Testing

@Suite("TensorFlow checkpoint V2 reader")
struct TensorFlowCheckpointTests {
    static func tinyDirectory() throws -> URL {
        try #require(Bundle.module.url(forResource: "tiny", withExtension: nil, subdirectory: "Resources"))
    }

    @Test func crc32cMatchesKnownVectors() {
        // RFC 3720 / iSCSI check value and the LevelDB masking round trip.
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.unmask(CRC32C.mask(0x1234_5678)) == 0x1234_5678)
    }

    @Test func readsTinyCheckpointWrittenByTensorFlow() throws {
        let directory = try Self.tinyDirectory()
        let checkpoint = try TensorFlowCheckpoint(directory: directory)
        #expect(checkpoint.parameterNames == ["dense/bias", "dense/kernel", "scale"])
        #expect(checkpoint.entries.count > 3, "the Adam slots are stored too")
        let expected = try JSONDecoder().decode([String: AnyShape].self, from: Data(contentsOf: directory.appendingPathComponent("values.json")))
        for name in checkpoint.parameterNames {
            let values = try checkpoint.floats(named: name)
            let reference = try #require(expected[name]).values
            // Raw float32 bytes read back: bit-for-bit.
            expectClose(values, reference, .exact, name)
        }
        #expect(checkpoint.entries["dense/kernel"]?.shape == [2, 3])
        #expect(checkpoint.entries["scale"]?.shape == [])
        #expect(try checkpoint.tensor(named: "dense/kernel").shape == [2, 3])
    }

    @Test func corruptedDataFailsTheChecksum() throws {
        let source = try Self.tinyDirectory()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("duet-ckpt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for file in [".index", ".data-00000-of-00001"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: directory.appendingPathComponent(file))
        }
        let checkpoint = try TensorFlowCheckpoint(directory: directory)
        let entry = try #require(checkpoint.entries["dense/kernel"])
        var data = try Data(contentsOf: directory.appendingPathComponent(".data-00000-of-00001"))
        data[entry.offset] ^= 0x40
        try data.write(to: directory.appendingPathComponent(".data-00000-of-00001"))
        let corrupted = try TensorFlowCheckpoint(directory: directory)
        #expect(throws: WeightsError.checksumMismatch(name: "dense/kernel", path: corrupted.prefix + ".data-00000-of-00001")) {
            try corrupted.floats(named: "dense/kernel")
        }
        #expect(throws: WeightsError.missingKey(name: "nope", path: corrupted.prefix + ".index")) {
            try corrupted.floats(named: "nope")
        }
        // A damaged index is reported as such.
        try Data(repeating: 7, count: 100).write(to: directory.appendingPathComponent(".index"))
        #expect {
            try TensorFlowCheckpoint(directory: directory)
        } throws: { error in
            guard case .malformed = error as? WeightsError else { return false }
            return true
        }
    }

    @Test func missingCheckpointNamesMakeSetup() {
        do {
            _ = try TensorFlowCheckpoint(directory: URL(fileURLWithPath: "/nonexistent/models/musicnn/MTT_musicnn"))
            Issue.record("opened a missing checkpoint")
        } catch {
            #expect(error.localizedDescription.contains("make setup"), "\(error.localizedDescription)")
        }
    }
}

/// A JSON number or nested array of numbers, flattened row-major.
private struct AnyShape: Decodable {
    var values: [Float]
    init(from decoder: any Decoder) throws {
        if let scalar = try? decoder.singleValueContainer().decode(Float.self) {
            values = [scalar]
            return
        }
        var container = try decoder.unkeyedContainer()
        var values: [Float] = []
        while !container.isAtEnd { values += try container.decode(AnyShape.self).values }
        self.values = values
    }
}
