import DuetData
import Testing

/// File tags onto the recipe's categories, and the album split of `duet import library`.
@Suite struct LibraryTagMapperTests {
    let mapper = LibraryTagMapper(dictionary: SwapDictionary(alternatives: [
        "genre": ["jazz", "bossa nova", "rock", "blues"], "mood": ["mellow", "calm", "blues"],
        "instrument": ["piano", "drums", "bass", "double bass", "electric guitar"],
    ]))

    @Test func fieldsGoToTheLexiconsCategoryAndUnknownValuesStay() {
        let tags = mapper.tags(
            genres: ["Jazz; Bossa-Nova", "Piano/Nu Jazz", "(17)", "Blues"], moods: ["Mellow, dreamy"], comment: nil, year: nil,
            beatsPerMinute: nil)
        #expect(tags["genre"] == ["jazz", "bossa nova", "nu jazz", "blues"], "blues stays a genre in GENRE")
        #expect(tags["instrument"] == ["piano"], "a GENRE of Piano is an instrument")
        #expect(tags["mood"] == ["mellow", "dreamy"], "an unknown mood is kept as a mood")
    }

    @Test func commentsGiveOnlyLexiconPhrasesLongestFirst() {
        let tags = mapper.tags(
            genres: [], moods: [], comment: "Brushed drums, a calm double bass and electric guitar; recorded live",
            year: nil, beatsPerMinute: nil)
        #expect(tags["instrument"] == ["drums", "double bass", "electric guitar"])
        #expect(tags["mood"] == ["calm"])
        #expect(tags["genre"] == nil)
    }

    @Test func tempoAndEraFromBeatsPerMinuteAndYear() {
        let tags = mapper.tags(genres: ["rock"], moods: [], comment: nil, year: 1974, beatsPerMinute: 128)
        #expect(tags["tempo"] == ["fast"])
        #expect(tags["era"] == ["1970s"])
        let junk = mapper.tags(genres: [], moods: [], comment: nil, year: 9999, beatsPerMinute: 0)
        #expect(junk.isEmpty)
    }

    @Test func noAlbumIsInTwoSplitsAndTheSplitIsDeterministic() {
        let sizes = Dictionary(uniqueKeysWithValues: (0..<40).map { ("album \($0)", 5 + $0 % 7) })
        let first = GroupedSplit.assign(sizes: sizes, validFraction: 0.1, testFraction: 0.1, seed: 3)
        #expect(first == GroupedSplit.assign(sizes: sizes, validFraction: 0.1, testFraction: 0.1, seed: 3))
        #expect(Set(first.keys) == Set(sizes.keys), "every album has exactly one split")
        let total = Double(sizes.values.reduce(0, +))
        for split in [Split.valid, .test] {
            let share = Double(first.filter { $0.value == split }.keys.map { sizes[$0]! }.reduce(0, +)) / total
            // Whole albums of at most 11 tracks: the share passes 10 % by less than one album.
            #expect(share >= 0.1 && share < 0.1 + 11 / total, "\(split): \(share)")
        }
        #expect(first != GroupedSplit.assign(sizes: sizes, validFraction: 0.1, testFraction: 0.1, seed: 4))
    }

    @Test func smallLibrariesKeepAGroupInEverySplitOrAllInTrain() {
        let three = GroupedSplit.assign(sizes: ["a": 50, "b": 1, "c": 1], validFraction: 0.1, testFraction: 0.1, seed: 0)
        #expect(Set(three.values) == [.train, .valid, .test])
        let two = GroupedSplit.assign(sizes: ["a": 5, "b": 5], validFraction: 0.1, testFraction: 0.1, seed: 0)
        #expect(Set(two.values) == [.train])
    }
}
