import Foundation
import Testing
@testable import DuetSynth

/// The ABC reader on small inline tunes: lengths, broken rhythm, accidentals, key signatures,
/// octaves, tuplets, ties, chords, repeats and endings, and tunes skipped with a reason.
@Suite struct TuneReaderTests {
    /// The notes of a one-tune book with the given header lines and body.
    static func notes(_ body: String, meter: String = "4/4", length: String = "1/8", key: String = "C") throws -> [NotatedTune.Note] {
        let book = AbcReader.read("X:1\nT:t\nM:\(meter)\nL:\(length)\nK:\(key)\n\(body)\n", collection: .essenFolksong, file: "t.abc")
        guard let tune = book.tunes.first else { throw TuneSkipFound(skips: book.skipped) }
        return tune.notes
    }

    struct TuneSkipFound: Error { var skips: [TuneSkip] }

    static func keys(_ notes: [NotatedTune.Note]) -> [Int] { notes.map(\.key) }
    static func lengths(_ notes: [NotatedTune.Note]) -> [Double] { notes.map(\.duration) }

    @Test func lengthsAreMultiplesOfTheUnitNote() throws {
        let notes = try Self.notes("C2 D/E/ F3/2G/ A//B3// c4")
        #expect(Self.lengths(notes) == [1, 0.25, 0.25, 0.75, 0.25, 0.125, 0.375, 2])
        #expect(zip(notes.dropFirst(), notes).allSatisfy { abs($0.start - $1.end) < 1e-12 })
        #expect(try Self.lengths(Self.notes("C D", length: "1/16")) == [0.25, 0.25])
    }

    @Test func brokenRhythmDotsOneNoteAndShortensTheOther() throws {
        #expect(try Self.lengths(Self.notes("A>B c<d e>>f")) == [0.75, 0.25, 0.25, 0.75, 0.875, 0.125])
        #expect(try Self.lengths(Self.notes("A2>B2")) == [1.5, 0.5])
    }

    @Test func octavesAndAccidentals() throws {
        #expect(try Self.keys(Self.notes("C, C c c' ^^C __D")) == [48, 60, 72, 84, 62, 60])
        // An accidental holds for its pitch until the bar line, not in other octaves.
        #expect(try Self.keys(Self.notes("^F F f | F")) == [66, 66, 77, 65])
        #expect(try Self.keys(Self.notes("=F F | F", key: "G")) == [65, 65, 66])
    }

    @Test func keySignaturesAndModes() throws {
        #expect(try Self.keys(Self.notes("F c B e", key: "D")) == [66, 73, 71, 76])
        #expect(try Self.keys(Self.notes("B e A", key: "Bb")) == [70, 75, 69])
        #expect(try Self.keys(Self.notes("F c g", key: "Ador")) == [66, 72, 79])
        #expect(try Self.keys(Self.notes("F c", key: "Em")) == [66, 72])
        #expect(try Self.keys(Self.notes("F", key: "Amix")) == [66])
        let cases: [(String, Int, KeySignature.ModeName, Int)] = [
            ("G", 7, .major, 1), ("Bb", 10, .major, -2), ("F#m", 6, .minor, 3), ("Ador", 9, .dorian, 1),
            ("Dmix", 2, .mixolydian, 1), ("Amin", 9, .minor, 0), ("H", 11, .major, 5), ("Es", 3, .major, -3),
            ("E phrygian", 4, .phrygian, 0), ("none", 0, .major, 0),
        ]
        for (field, tonic, mode, fifths) in cases {
            let key = try #require(KeySignature.abc(field), "\(field)")
            #expect(key.tonic == tonic && key.mode == mode && key.fifths == fifths, "\(field): \(key)")
        }
        #expect(KeySignature.abc("Q") == nil)
    }

    @Test func tupletsTiesAndChords() throws {
        let triplet = try Self.notes("(3CDE F (3:2:2G2A2")
        #expect(Self.lengths(triplet).map { ($0 * 1e9).rounded() / 1e9 } == [0.333333333, 0.333333333, 0.333333333, 0.5, 0.666666667, 0.666666667])
        let tied = try Self.notes("C2-C2 D2- | D E")
        #expect(Self.keys(tied) == [60, 62, 64] && Self.lengths(tied) == [2, 1.5, 0.5])
        let chord = try Self.notes("[CEG]2 z2 [c/e/]c/")
        #expect(Self.keys(chord) == [67, 76, 72] && Self.lengths(chord) == [1, 0.25, 0.25])
        #expect(chord.map(\.start) == [0, 2, 2.25])
        let compound = try Self.notes("(3CDE", meter: "6/8")
        #expect(Self.lengths(compound).reduce(0, +) == 1)
    }

    @Test func repeatsAndEndingsAreWrittenOut() throws {
        #expect(try Self.keys(Self.notes("|: C D :| E F |")) == [60, 62, 60, 62, 64, 65])
        #expect(try Self.keys(Self.notes("|: C D |1 E :|2 F |]")) == [60, 62, 64, 60, 62, 65])
        #expect(try Self.keys(Self.notes("|: C D [1 E :| [2 F |]")) == [60, 62, 64, 60, 62, 65])
        #expect(try Self.keys(Self.notes("|: A :: B :|")) == [69, 69, 71, 71])
        // A `:|` without `|:` repeats from the start, or from the last double bar.
        #expect(try Self.keys(Self.notes("C :| D || E :|")) == [60, 60, 62, 64, 64])
    }

    @Test func readsEveryTuneOfABookAndSkipsWhatItCannotPlay() {
        let book = AbcReader.read(TuneFixtures.folkSongs, collection: .essenFolksong, file: "fixture.abc")
        #expect(book.tunes.map(\.number) == [1, 2])
        #expect(book.skipped == [TuneSkip(tune: "essenFolksong/fixture.abc#3", reason: .freeMeter, detail: "none")])
        let first = book.tunes[0]
        #expect(first.title == "Der kleine Testvogel" && first.meter == Meter(numerator: 3, denominator: 4))
        #expect(first.key.name == "G major" && first.notes.first?.key == 62)
        #expect(first.notes.filter { $0.key % 12 == 6 }.allSatisfy { $0.key == 66 }, "F is sharp in G")
        #expect(first.length == 1 + 7 * 3 + 2)
        #expect(first.barStarts.prefix(3) == [0, 1, 4])
        let broken = AbcReader.read("X:1\nM:4/4\nK:C\nC & D\n\nX:2\nM:4/4\nK:C\nC # D\n\nX:3\nM:4/4\nK:C\n>C\n\nX:4\nM:4/4\nK:C\n\"Am C\n\nX:5\nM:5/7\nK:C\nC\n\nX:6\nM:4/4\nK:C\nCDEF|\n",
                                    collection: .ryansMammoth, file: "broken.abc")
        #expect(book.tunes.count == 2)
        #expect(broken.skipped.map(\.reason) == [.multipleVoices, .unsupportedSymbol, .misplacedBrokenRhythm, .unclosedGroup, .unsupportedMeter])
        #expect(broken.tunes.map(\.number) == [6])
    }

    @Test func fiddleTuneWithPickupRepeatsEndingsAndDecorations() throws {
        let book = AbcReader.read(TuneFixtures.reel, collection: .ryansMammoth, file: "DuetsTestReel.abc")
        let tune = try #require(book.tunes.first, "\(book.skipped)")
        #expect(tune.meter == Meter(numerator: 2, denominator: 2) && tune.key.fifths == 2)
        #expect(Array(tune.notes.prefix(3).map(\.duration)) == [0.75, 0.25, 1])
        #expect(abs(tune.length - 25) < 1e-9)
        #expect(tune.barStarts.prefix(4) == [0, 1, 5, 9])
        // The second time through skips the first ending and plays the second: g e d.
        #expect(tune.notes.suffix(3).map(\.key) == [79, 76, 74])
        // First ending ends on the double stop's upper note, a (f# a): the tune's note is the highest.
        #expect(tune.notes.contains { $0.key == 81 && abs($0.start - 12) < 1e-9 })
        #expect(tune.dance == "reel" && tune.forms == ["fiddle tune", "reel"] && tune.genres == [.folk])
        #expect(tune.meterTag == "duple meter")
    }
}
