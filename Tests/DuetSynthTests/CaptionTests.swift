import DuetData
import DuetRandom
import Testing
@testable import DuetSynth

/// Held-out captions are grounded in the tags, never contradict them, and are not template text.
@Suite struct CaptionTests {
    static let corpus: [(CorpusPlan.Item, [String])] = {
        let plan = CorpusPlan(count: 400, seed: 21)
        let entries = CorpusWriter.entries(for: plan, seconds: 6)
        return zip(plan.items, entries).map { ($0.0, $0.1.captions ?? []) }
    }()

    static func genrePhrases(_ genre: Genre) -> [String] {
        HumanCaptioner.genreNouns(genre, hasDrums: true) + HumanCaptioner.genreNouns(genre, hasDrums: false) + HumanCaptioner.genreAdjectives(genre)
    }

    @Test func onlyHeldOutSplitsHaveOneToThreeCaptions() {
        for (item, captions) in Self.corpus {
            if item.split == .train { #expect(captions.isEmpty, "train item \(item.id) has captions") }
            else { #expect((1...3).contains(captions.count), "item \(item.id): \(captions.count) captions") }
        }
    }

    @Test func captionsMentionTrueAttributesAndNoFalseOnes() {
        for (item, captions) in Self.corpus {
            for caption in captions {
                let text = caption.lowercased()
                var mentions = 0
                for genre in item.tags.genres where Self.genrePhrases(genre).contains(where: { text.contains($0.lowercased()) }) { mentions += 1 }
                for mood in item.tags.moods where HumanCaptioner.moodWords(mood).contains(where: { text.contains($0) }) { mentions += 1 }
                let truePhrases = item.tags.instruments.flatMap { HumanCaptioner.instrumentPhrases($0).map { $0.text.lowercased() } }
                for instrument in item.tags.instruments where HumanCaptioner.instrumentPhrases(instrument).contains(where: { text.contains($0.text.lowercased()) }) { mentions += 1 }
                #expect(mentions >= 2 || (mentions >= 1 && text.contains("instrumental")), "item \(item.id): '\(caption)' mentions \(mentions) true attributes of \(item.tags)")
                for instrument in Instrument.allCases where !item.tags.instruments.contains(instrument) {
                    for phrase in HumanCaptioner.instrumentPhrases(instrument).map({ $0.text.lowercased() }) where text.contains(phrase) {
                        let covered = truePhrases.contains { $0.contains(phrase) && text.contains($0) }
                        #expect(covered, "item \(item.id): '\(caption)' mentions \(phrase) but the clip has no \(instrument)")
                    }
                }
                for genre in Genre.allCases where !item.tags.genres.contains(genre) {
                    for phrase in HumanCaptioner.genreNouns(genre, hasDrums: true) where text.contains(phrase.lowercased()) {
                        #expect(Bool(false), "item \(item.id): '\(caption)' names \(genre) (\(phrase)), tags \(item.tags.genres)")
                    }
                }
            }
        }
    }

    @Test func captionsAreNotTagLists() {
        var shapes = Set<String>()
        for (item, captions) in Self.corpus {
            for caption in captions {
                // A template caption reads "<genre> <mood> music with <instrument>"; these do not use bare canonical genre labels.
                #expect(!caption.lowercased().hasPrefix(item.tags.genres[0].rawValue + " "), "'\(caption)'")
                shapes.insert(String(caption.prefix(12)))
            }
        }
        #expect(shapes.count > 40, "only \(shapes.count) distinct openings")
    }
}
