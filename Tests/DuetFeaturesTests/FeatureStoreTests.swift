import DuetFeatures
import Foundation
import Testing

@Suite("Feature store")
struct FeatureStoreTests {
    func temporaryStore() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("duet-features-\(UUID().uuidString)/text.features")
    }

    @Test func storesAndReopensInHalfPrecision() throws {
        let url = temporaryStore()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let key = ContentHash("a mellow jazz trio")
        do {
            let store = try FeatureStore(url: url)
            try store.store([0.5, -1.25, 3.0, 1e-3, 7, 8], shape: [2, 3], for: key)
            #expect(store.features(for: key)?.shape == [2, 3], "readable before flush")
            try store.flush()
        }
        let reopened = try FeatureStore(url: url)
        let features = try #require(reopened.features(for: key))
        #expect(features.shape == [2, 3])
        let expected: [Float] = [0.5, -1.25, 3.0, 1e-3, 7, 8]
        for (value, reference) in zip(features.values, expected) { #expect(abs(value - reference) <= 1e-3 * abs(reference) + 1e-6) }
        #expect(reopened.features(for: ContentHash("another caption")) == nil)
    }

    @Test func tornTailIsCutAndEarlierRecordsSurvive() throws {
        let url = temporaryStore()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        do {
            let store = try FeatureStore(url: url)
            for index in 0..<5 { try store.store([Float](repeating: Float(index), count: 40), shape: [4, 10], for: ContentHash("\(index)")) }
            try store.flush()
        }
        // A process killed mid-append: drop the last 13 bytes.
        let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as! Int
        let handle = try FileHandle(forUpdating: url)
        try handle.truncate(atOffset: UInt64(size - 13))
        try handle.close()

        let reopened = try FeatureStore(url: url)
        #expect(reopened.count == 4)
        #expect(reopened.truncatedByteCount > 0)
        #expect(reopened.features(for: ContentHash("3"))?.values.first == 3)
        #expect(!reopened.contains(ContentHash("4")))
        // Appending after the cut works and survives another reopen.
        try reopened.store([4], shape: [1], for: ContentHash("4"))
        try reopened.flush()
        #expect(try FeatureStore(url: url).count == 5)
    }

    @Test func corruptPayloadIsSkippedNotTrusted() throws {
        let url = temporaryStore()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        do {
            let store = try FeatureStore(url: url)
            try store.store([1, 2, 3, 4], shape: [4], for: ContentHash("first"))
            try store.store([5, 6, 7, 8], shape: [4], for: ContentHash("second"))
            try store.flush()
        }
        var bytes = try Data(contentsOf: url)
        bytes[28] ^= 0x55  // inside the first record's payload
        try bytes.write(to: url)
        let reopened = try FeatureStore(url: url)
        #expect(reopened.corruptRecordCount == 1)
        #expect(!reopened.contains(ContentHash("first")))
        #expect(reopened.features(for: ContentHash("second"))?.values == [5, 6, 7, 8])
    }

    /// One damaged record header (its magic, or a shape extent) loses that record only: the scan
    /// resynchronises on the next intact record, and the damage is reported.
    @Test(arguments: [0, 16])
    func damagedHeaderLosesOnlyItsRecord(byteInHeader: Int) throws {
        let url = temporaryStore()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let recordLength = 4 + 8 + 4 + 4 + 8 + 6 * 2 + 8  // magic, key, rank, one extent, byte count, payload, checksum
        do {
            let store = try FeatureStore(url: url)
            for item in 0..<54 { try store.store([Float](repeating: Float(item), count: 6), shape: [6], for: ContentHash("clip \(item)")) }
            try store.flush()
        }
        var bytes = try Data(contentsOf: url)
        #expect(bytes.count == 54 * recordLength)
        bytes[10 * recordLength + byteInHeader] ^= 0xA5
        try bytes.write(to: url)
        let reopened = try FeatureStore(url: url)
        #expect(reopened.count == 53)
        #expect(!reopened.contains(ContentHash("clip 10")))
        #expect(reopened.features(for: ContentHash("clip 53"))?.values == [Float](repeating: 53, count: 6))
        #expect(reopened.corruptRecordCount == 1 && reopened.truncatedByteCount == 0)
        #expect(reopened.damageReport.contains("1 damaged record skipped"), "\(reopened.damageReport)")
        // New records still append after the intact ones.
        try reopened.store([1], shape: [1], for: ContentHash("new"))
        try reopened.flush()
        #expect(try FeatureStore(url: url).count == 54)
    }

    @Test func contentHashSeparatesFields() {
        var left = ContentHash(); left.combine("ab"); left.combine("c")
        var right = ContentHash(); right.combine("a"); right.combine("bc")
        #expect(left != right)
        #expect(ContentHash("x") == ContentHash("x"))
        #expect(ContentHash("x").description.count == 16)
    }
}
