import DuetData
import Foundation
import Testing

@Suite("Manifest entry")
struct ManifestEntryTests {
    @Test func encodesSortedKeysAndRoundTrips() throws {
        let entry = ManifestEntry(
            id: "000001", audio: "audio/000001.wav",
            tags: ["genre": ["jazz"], "mood": ["calm"], "instrument": ["piano", "double bass"]],
            captions: ["a calm piano piece"], split: .train)
        let line = try entry.encodedLine()
        #expect(line.hasPrefix(##"{"audio":"audio/000001.wav","captions":["a calm piano piece"],"id":"000001","split":"train","tags":{"##))
        let decoded = try JSONDecoder().decode(ManifestEntry.self, from: Data(line.utf8))
        #expect(decoded == entry)
    }
}
