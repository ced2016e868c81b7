import Testing
@testable import DuetSynth

@Suite struct TheoryTests {
    @Test func romanNumeralsParse() throws {
        let cases: [(String, Int, ChordQuality)] = [
            ("I", 0, .major), ("ii7", 2, .minorSeventh), ("V7", 7, .dominantSeventh), ("bVIImaj7", 10, .majorSeventh),
            ("iih7", 2, .halfDiminished), ("viio", 11, .diminished), ("i9", 0, .minorNinth), ("I5", 0, .power),
            ("bIIo7", 1, .diminishedSeventh), ("#IV", 6, .major), ("Isus2", 0, .suspendedSecond),
        ]
        for (text, root, quality) in cases {
            let chord = try #require(ChordSymbol(roman: text), "\(text) did not parse")
            #expect(chord.root == root && chord.quality == quality, "\(text) → \(chord)")
        }
        #expect(ChordSymbol(roman: "X7") == nil)
        #expect(ChordSymbol(roman: "Vblah") == nil)
    }

    @Test func progressionLoopsAndSplitsBars() {
        let progression = Progression("ii7 V7 | Imaj7")
        #expect(progression.chord(atBeat: 0, beatsPerBar: 4).root == 2)
        #expect(progression.chord(atBeat: 2.5, beatsPerBar: 4).root == 7)
        #expect(progression.chord(atBeat: 5, beatsPerBar: 4).root == 0)
        #expect(progression.chord(atBeat: 8, beatsPerBar: 4).root == 2)
        #expect(progression.nextChange(afterBeat: 0.5, beatsPerBar: 4) == 2)
        #expect(progression.nextChange(afterBeat: 4, beatsPerBar: 4) == 8)
    }

    @Test func everyStyleProgressionParsesAndFitsItsMode() {
        for genre in Genre.allCases {
            for text in genre.style.majorProgressions {
                let tonic = Progression(text).bars.flatMap { $0 }.filter { $0.root == 0 }
                #expect(tonic.allSatisfy { !$0.quality.isMinor }, "\(genre): major progression \(text) has a minor tonic")
            }
            for text in genre.style.minorProgressions {
                let tonic = Progression(text).bars.flatMap { $0 }.filter { $0.root == 0 }
                #expect(tonic.allSatisfy { !$0.quality.intervals.contains(4) }, "\(genre): minor progression \(text) has a major tonic")
            }
        }
    }
}
