import DuetRandom

/// Writes an item's held-out captions in German, French, Spanish, Italian and Portuguese, for the
/// multilingual evaluation; training never sees them.
///
/// A caption draws the same kinds of true attributes as `HumanCaptioner` (a genre and a mood of
/// the clip, its lead instrument and maybe a second one, its tempo feel) and puts them into one of
/// the language's sentence frames (`PhraseBook`), each caption of an item in a different frame.
/// The words come from hand-written phrase books, not from translating the English captions.
public enum MultilingualCaptioner {
    /// `count` captions (at most the number of frames) of `arrangement` in `language`, drawn from
    /// a generator derived from `seed` and the language, so they depend on nothing else.
    public static func captions(
        for arrangement: Arrangement, count: Int, language: CaptionLanguage, seed: UInt64
    ) -> [String] {
        let book = language.phraseBook
        var generator = SeededGenerator(seed: seed).derived(stream: language.stream)
        let frames = generator.permutation(book.frames.count)
        return frames.prefix(count).map { frame in
            book.frames[frame](words(for: arrangement, book: book, using: &generator))
        }
    }

    /// The captions of every language, keyed by ISO 639-1 code, as the manifest stores them.
    public static func captionsByLanguage(for arrangement: Arrangement, count: Int, seed: UInt64) -> [String: [String]] {
        Dictionary(uniqueKeysWithValues: CaptionLanguage.allCases.map {
            ($0.rawValue, captions(for: arrangement, count: count, language: $0, seed: seed))
        })
    }

    static func words(for arrangement: Arrangement, book: PhraseBook, using generator: inout SeededGenerator) -> CaptionWords {
        let tags = arrangement.tags
        let genre = generator.pick(tags.genres)
        let mood = generator.pick(tags.moods)
        let lead = arrangement.tracks.first { $0.role == .lead }?.instrument ?? generator.pick(tags.instruments)
        let others = tags.instruments.filter { $0 != lead }
        let second = others.isEmpty || generator.chance(0.4) ? nil : generator.pick(others)
        var tempi = [book.tempo(TempoFeel(beatsPerMinute: arrangement.tempo))]
        if arrangement.beatsPerBar == 3 { tempi.append(book.inThree) }
        return CaptionWords(
            genre: book.genre(genre), mood: book.mood(mood), lead: book.instrument(lead),
            instruments: book.instruments(lead: lead, second: second), tempo: generator.pick(tempi))
    }
}
