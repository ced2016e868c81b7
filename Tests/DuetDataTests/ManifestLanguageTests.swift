@testable import DuetData
import Foundation
import Testing

/// `captions_by_language`: optional, validated, and absent from manifests written before it.
@Suite("Manifest captions by language")
struct ManifestLanguageTests {
    @Test func manifestsWithoutTheFieldStillLoad() {
        let old = #"{"audio":"a.wav","captions":["a calm piano piece"],"id":"a","split":"test","tags":{"genre":["jazz"]}}"#
        let (entries, problems) = Manifest.parse(old)
        #expect(problems.isEmpty, "\(problems)")
        #expect(entries.first?.entry.captionsByLanguage == nil)
        #expect(entries.first?.entry.captions(inLanguage: "en") == ["a calm piano piece"])
        #expect(entries.first?.entry.captions(inLanguage: "de") == [])
    }

    @Test func captionsByLanguageRoundTripThroughALine() throws {
        let entry = ManifestEntry(
            id: "a", audio: "a.wav", tags: [:], captions: ["calm piano"],
            captionsByLanguage: ["de": ["Ruhiges Klavier."], "fr": ["Un piano calme."]], split: .test)
        let line = try entry.encodedLine()
        #expect(line.contains(#""captions_by_language":{"de":["Ruhiges Klavier."],"fr":["Un piano calme."]}"#))
        let (entries, problems) = Manifest.parse(line)
        #expect(problems.isEmpty, "\(problems)")
        #expect(entries.first?.entry == entry)
        #expect(entry.captions(inLanguage: "fr") == ["Un piano calme."])
    }

    @Test func malformedCaptionsByLanguageAreReported() {
        let lines = [
            #"{"id":"a","audio":"a.wav","tags":{},"split":"test","captions_by_language":{"en":["x"]}}"#,
            #"{"id":"b","audio":"a.wav","tags":{},"split":"test","captions_by_language":{"German":["x"]}}"#,
            #"{"id":"c","audio":"a.wav","tags":{},"split":"test","captions_by_language":{"de":[""]}}"#,
            #"{"id":"d","audio":"a.wav","tags":{},"split":"test","captions_by_language":["x"]}"#,
        ]
        let (entries, problems) = Manifest.parse(lines.joined(separator: "\n"))
        #expect(entries.isEmpty)
        let byLine = Dictionary(grouping: problems, by: \.line).mapValues { $0.map(\.message) }
        #expect(byLine[1]?.first?.contains("English captions go in 'captions'") == true)
        #expect(byLine[2]?.first?.contains("two-letter lowercase ISO 639-1 code") == true)
        #expect(byLine[3]?.first?.contains("list of non-empty strings") == true)
        #expect(byLine[4]?.first?.contains("must be an object") == true)
    }
}
