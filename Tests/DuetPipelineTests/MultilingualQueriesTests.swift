import DuetData
import Testing
@testable import DuetPipeline

/// Evaluations in several languages rank the same clips: only items with captions in every
/// requested language take part, and each language reads its own captions.
@Suite struct MultilingualQueriesTests {
    static let entries = [
        ManifestEntry(id: "a", audio: "a.wav", tags: [:], captions: ["calm piano", "soft keys"],
                      captionsByLanguage: ["de": ["Ruhiges Klavier."]], split: .test),
        ManifestEntry(id: "b", audio: "b.wav", tags: [:], captions: ["loud drums"], split: .test),
        ManifestEntry(id: "c", audio: "c.wav", tags: [:], captions: ["sad cello"],
                      captionsByLanguage: ["de": ["Traurig, mit Cello.", "Cello, langsam."]], split: .test),
    ]

    @Test func languagesShareTheClipsThatHaveCaptionsInAllOfThem() {
        let english = RetrievalEvaluation.queries(from: Self.entries, language: "en", requiredLanguages: ["en", "de"])
        let german = RetrievalEvaluation.queries(from: Self.entries, language: "de", requiredLanguages: ["en", "de"])
        #expect(english.entries.map(\.id) == ["a", "c"])
        #expect(german.entries.map(\.id) == ["a", "c"])
        #expect(english.queries.map(\.text) == ["calm piano", "soft keys", "sad cello"])
        #expect(english.queries.map(\.item) == [0, 0, 1])
        #expect(german.queries.map(\.text) == ["Ruhiges Klavier.", "Traurig, mit Cello.", "Cello, langsam."])
        #expect(german.queries.map(\.item) == [0, 1, 1])
    }

    @Test func englishAloneKeepsEveryCaptionedItem() {
        let english = RetrievalEvaluation.queries(from: Self.entries, language: "en", requiredLanguages: [])
        #expect(english.entries.map(\.id) == ["a", "b", "c"])
    }
}
