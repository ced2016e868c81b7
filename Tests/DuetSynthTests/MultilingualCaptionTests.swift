import DuetData
import DuetRandom
import Testing
@testable import DuetSynth

/// The held-out captions in German, French, Spanish, Italian and Portuguese: complete phrase
/// books, deterministic captions grounded in the clip, and English captions left as they were.
@Suite struct MultilingualCaptionTests {
    static let plan = CorpusPlan(count: 300, seed: 21)
    static let entries = CorpusWriter.entries(for: plan, seconds: 6)

    @Test(arguments: CaptionLanguage.allCases)
    func everyTagHasAPhrase(language: CaptionLanguage) {
        let book = language.phraseBook
        func check<Tag: Hashable>(_ tags: [Tag], _ phrase: (Tag) -> String, category: String) {
            let phrases = tags.map(phrase)
            for (tag, text) in zip(tags, phrases) {
                #expect(!text.trimmingCharacters(in: .whitespaces).isEmpty, "\(language) \(category) \(tag) has no phrase")
            }
            // Distinct phrases keep distinct tags distinguishable in a query.
            #expect(Set(phrases).count == phrases.count, "\(language) \(category) phrases repeat: \(phrases)")
        }
        check(Genre.allCases, book.genre, category: "genre")
        check(Mood.allCases, book.mood, category: "mood")
        check(Instrument.allCases, book.instrument, category: "instrument")
        check(TempoFeel.allCases, book.tempo, category: "tempo")
        #expect(!book.inThree.isEmpty && !book.and.isEmpty)
        #expect(book.frames.count >= 5)
    }

    @Test func heldOutItemsHaveAsManyCaptionsInEveryLanguageAsInEnglish() {
        for entry in Self.entries {
            if entry.split == .train {
                #expect(entry.captionsByLanguage == nil, "train item \(entry.id) has captions")
                continue
            }
            let english = entry.captions ?? []
            #expect(!english.isEmpty)
            #expect(Set(entry.captionsByLanguage?.keys.map { $0 } ?? []) == Set(CaptionLanguage.allCases.map(\.rawValue)))
            for language in CaptionLanguage.allCases {
                let captions = entry.captions(inLanguage: language.rawValue)
                #expect(captions.count == english.count, "\(entry.id) \(language)")
                #expect(Set(captions).count == captions.count, "\(entry.id) \(language) repeats a caption: \(captions)")
                #expect(Set(captions).isDisjoint(with: english))
            }
        }
    }

    @Test func captionsAreDeterministicPerSeedAndLeaveEnglishUnchanged() {
        let again = CorpusWriter.entries(for: CorpusPlan(count: 300, seed: 21), seconds: 6)
        #expect(again == Self.entries)
        let other = CorpusWriter.entries(for: CorpusPlan(count: 300, seed: 22), seconds: 6)
        #expect(other.map(\.captionsByLanguage) != Self.entries.map(\.captionsByLanguage))
        // The English captions are the ones the English captioner alone writes from the seed.
        for (item, entry) in zip(Self.plan.items, Self.entries) where item.split != .train {
            let arrangement = Composer.compose(item.tags, seed: item.compositionSeed, duration: 6)
            var generator = SeededGenerator(seed: item.captionSeed)
            #expect(entry.captions == HumanCaptioner.captions(for: arrangement, using: &generator))
            // One language's captions do not depend on which other languages are written.
            #expect(entry.captions(inLanguage: "fr") == MultilingualCaptioner.captions(
                for: arrangement, count: entry.captions?.count ?? 0, language: .french, seed: item.captionSeed))
        }
    }

    /// Every caption names at least two true attributes of its clip in the caption's language.
    @Test(arguments: CaptionLanguage.allCases)
    func captionsNameAtLeastTwoTrueAttributes(language: CaptionLanguage) {
        let book = language.phraseBook
        for (item, entry) in zip(Self.plan.items, Self.entries) where item.split != .train {
            let arrangement = Composer.compose(item.tags, seed: item.compositionSeed, duration: 6)
            let tempi = [book.tempo(TempoFeel(beatsPerMinute: arrangement.tempo))] + (arrangement.beatsPerBar == 3 ? [book.inThree] : [])
            let attributes: [[String]] = [
                item.tags.genres.map(book.genre), item.tags.moods.map(book.mood), item.tags.instruments.map(book.instrument), tempi,
            ]
            for caption in entry.captions(inLanguage: language.rawValue) {
                let lowered = caption.lowercased()
                let named = attributes.filter { phrases in phrases.contains { lowered.contains($0.lowercased()) } }.count
                #expect(named >= 2, "\(language) caption names \(named) true attributes: \(caption)")
            }
        }
    }

    @Test func framesCoverEveryLanguageWithoutEnglishTemplateText() {
        let captions = Self.entries.flatMap { entry in
            CaptionLanguage.allCases.flatMap { entry.captions(inLanguage: $0.rawValue) }
        }
        #expect(captions.count > 100)
        for caption in captions {
            #expect(!caption.contains("  ") && caption.first?.isLowercase == false, "\(caption)")
            for english in [" with ", "sounds like", "the ", " is "] {
                #expect(!caption.lowercased().contains(english), "English text in: \(caption)")
            }
        }
    }
}
