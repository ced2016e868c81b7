import DuetFeatures
import DuetModel
import Foundation
import Testing

/// Cache keys of text token states: MiniLM's and e5's are the ones every existing cache was written under;
/// the folder towers' carry their weights' fingerprint, so two checkpoints of one kind never share states.
@Suite("Text cache keys")
struct TextKeyTests {
    static func cache() throws -> (FeatureCache, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-text-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return (try FeatureCache(folder: folder), folder)
    }

    @Test func miniLMAndE5KeysAreUnchanged() throws {
        let (cache, folder) = try Self.cache()
        defer { try? FileManager.default.removeItem(at: folder) }
        // FNV-1a 64 of the text and "name variant version v1", as written before the folder towers existed.
        #expect(cache.textKey("a mellow jazz trio", encoder: .miniLM).description == "945cd51e84438fd9")
        #expect(cache.textKey("a mellow jazz trio", encoder: .e5Small).description == "70836e9f38439613")
        // Through a selection (as training and evaluation now call it), the same keys.
        #expect(cache.textKey("a mellow jazz trio", encoder: TextEncoderSelection(kind: .miniLM)).description == "945cd51e84438fd9")
    }

    @Test func theWeightsFingerprintIsPartOfTheKey() throws {
        let (cache, folder) = try Self.cache()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = "a mellow jazz trio"
        let first = TextEncoderSelection(kind: .roberta, weightsFolder: "/weights/a", weightsFingerprint: "0000000000000001")
        let second = TextEncoderSelection(kind: .roberta, weightsFolder: "/weights/a", weightsFingerprint: "0000000000000002")
        let moved = TextEncoderSelection(kind: .roberta, weightsFolder: "/weights/b", weightsFingerprint: "0000000000000001")
        let otherKind = TextEncoderSelection(kind: .clipText, weightsFolder: "/weights/a", weightsFingerprint: "0000000000000001")
        #expect(cache.textKey(text, encoder: first) != cache.textKey(text, encoder: second))
        #expect(cache.textKey(text, encoder: first) == cache.textKey(text, encoder: moved), "the files, not their place, name the encoder")
        #expect(cache.textKey(text, encoder: first) != cache.textKey(text, encoder: otherKind))
        #expect(cache.textKey(text, encoder: first) != cache.textKey(text, encoder: .miniLM))
    }
}
