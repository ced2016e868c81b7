import DuetData
import DuetRandom
import Foundation
import Testing
@testable import DuetSynth

/// The out-of-world test split: the MIDI reader, the tags from metadata, and the separation of
/// its phrase book from every word training texts use.
@Suite struct OutOfWorldTests {
    /// Format 0, 96 ticks per quarter: tempo 100 BPM, key A minor, 3/4, program 73 on channel 0,
    /// two notes (the second with running status and a note-on of velocity 0 as its note-off).
    static let smallFile: [UInt8] = {
        var track: [UInt8] = [
            0x00, 0xFF, 0x51, 0x03, 0x09, 0x27, 0xC0,  // 600,000 µs per quarter = 100 BPM
            0x00, 0xFF, 0x59, 0x02, 0x00, 0x01,  // A minor
            0x00, 0xFF, 0x58, 0x04, 0x03, 0x02, 0x18, 0x08,  // 3/4
            0x00, 0xC0, 0x49,  // program 73 (flute)
            0x00, 0x90, 0x45, 0x64,  // A4 on
            0x60, 0x80, 0x45, 0x00,  // off after one quarter
            0x00, 0x90, 0x48, 0x50,  // C5 on
            0x60, 0x48, 0x00,  // running status: note-on velocity 0 = off
            0x00, 0xFF, 0x2F, 0x00,
        ]
        let length = track.count
        track.insert(contentsOf: [0x4D, 0x54, 0x72, 0x6B, 0, 0, UInt8(length >> 8), UInt8(length & 0xFF)], at: 0)
        return [0x4D, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, 0, 96] + track
    }()

    @Test func readsNotesTempoKeyMeterAndPrograms() throws {
        let song = try StandardMidiFile.parse(Self.smallFile, path: "small.mid")
        #expect(abs(song.initialTempo - 100) < 1e-9)
        #expect(song.keySignature?.minor == true && song.keySignature?.sharps == 0)
        #expect(song.beatsPerBar == 3)
        #expect(song.notes.count == 2)
        #expect(song.notes.map(\.key) == [69, 72] && song.notes.allSatisfy { $0.program == 73 })
        // One quarter at 100 BPM is 0.6 s.
        #expect(abs(song.notes[0].end - 0.6) < 1e-9 && abs(song.notes[1].start - 0.6) < 1e-9 && abs(song.notes[1].end - 1.2) < 1e-9)
    }

    @Test func malformedFilesNameTheFileAndOffset() {
        var broken = Self.smallFile
        broken.removeLast(10)
        do {
            _ = try StandardMidiFile.parse(broken, path: "broken.mid")
            Issue.record("no error for a truncated file")
        } catch {
            #expect(error.localizedDescription.contains("broken.mid") && error.localizedDescription.contains("byte"), "\(error.localizedDescription)")
        }
        do {
            _ = try StandardMidiFile.parse(Array("RIFF....".utf8), path: "x.wav")
            Issue.record("no error for a non-MIDI file")
        } catch {
            #expect(error.localizedDescription.contains("MThd"), "\(error.localizedDescription)")
        }
    }

    @Test func everyGeneralMIDIProgramHasATag() {
        for program in 0..<128 {
            let instrument = Instrument.nearest(program: program, percussion: false)
            #expect(!instrument.isPercussionKit || program == 118 || (112...119).contains(program), "program \(program) → \(instrument)")
        }
        #expect(Instrument.nearest(program: 0, percussion: true) == .drums)
        #expect(Instrument.nearest(program: 59, percussion: false) == .trumpet)
    }

    static func words(_ text: String) -> Set<String> { OutOfWorldCaptioner.words(text) }
    static let functionWords = OutOfWorldCaptioner.functionWords

    @Test func phraseBookSharesNoWordWithTrainingTexts() throws {
        var training = Set<String>()
        let vocabulary = try SynthVocabulary.forCorpus()
        for tags in vocabulary.categories.values {
            for (tag, synonyms) in tags { for text in [tag] + synonyms { training.formUnion(Self.words(text)) } }
        }
        let dictionary = try SwapDictionary.bundled()
        for phrases in dictionary.alternatives.values { for phrase in phrases { training.formUnion(Self.words(phrase)) } }
        let tagVocabulary = try JSONDecoder().decode(TagVocabulary.self, from: try vocabulary.encoded())
        let captioner = CaptionGenerator(vocabulary: tagVocabulary, dictionary: dictionary)
        var generator = SeededGenerator(seed: 5)
        for item in CorpusPlan(count: 400, seed: 21).items {
            for _ in 0..<6 {
                let view = ViewDropout.sampleTags(from: item.tags.manifestTags, using: &generator)
                training.formUnion(Self.words(captioner.caption(for: view, using: &generator)))
            }
        }
        // Tune clips' captions: every form, meter kind and region, in the sentences the captioner writes for them.
        for category in [SynthVocabulary.formCategory, SynthVocabulary.meterCategory, SynthVocabulary.regionCategory] {
            for tag in (vocabulary.categories[category] ?? [:]).keys.sorted() {
                let tags = [TagCategory.genre: ["folk"], TagCategory.instrument: ["violin"], TagCategory.tempo: ["fast"], category: [tag]]
                for _ in 0..<3 { training.formUnion(Self.words(captioner.caption(for: tags, using: &generator))) }
            }
        }
        var book = Set<String>()
        var captionGenerator = SeededGenerator(seed: 8)
        for _ in 0..<3000 {
            let count = captionGenerator.integer(in: 1...6)
            let instruments = Array(captionGenerator.shuffle(Instrument.allCases).prefix(count))
            let facts = OutOfWorldCaptioner.Facts(
                instruments: instruments, tempo: captionGenerator.double(in: 50...200),
                minor: captionGenerator.chance(0.2) ? nil : captionGenerator.chance(0.5), beatsPerBar: captionGenerator.chance(0.3) ? 3 : 4)
            for caption in OutOfWorldCaptioner.captions(for: facts, using: &captionGenerator) { book.formUnion(Self.words(caption)) }
        }
        let shared = book.intersection(training).subtracting(Self.functionWords)
        #expect(shared.isEmpty, "the out-of-world phrase book uses training words: \(shared.sorted())")
        #expect(book.count > 100, "phrase book has only \(book.count) words")
        #expect(book.subtracting(Self.functionWords).isSubset(of: OutOfWorldCaptioner.phraseBookWords))
    }

    @Test func splitComesFromTheOpenMSXFilesWithMetadataTags() throws {
        let folder = OutOfWorldCorpus.defaultMusicFolder
        guard FileManager.default.fileExists(atPath: folder.path) else {
            Issue.record("OpenMSX MIDI files missing at \(folder.path); run `make setup`")
            return
        }
        let options = OutOfWorldCorpus.Options(directory: URL(fileURLWithPath: "/nonexistent"))
        let clips = try OutOfWorldCorpus.plan(options)
        #expect(clips.count >= 150, "only \(clips.count) clips")
        #expect(clips.allSatisfy { $0.entry.split == .test && (1...2).contains($0.entry.captions?.count ?? 0) })
        for clip in clips {
            let tagged = Set(clip.entry.tags[TagCategory.instrument] ?? [])
            #expect(tagged == Set(clip.arrangement.tracks.map(\.instrument.rawValue)), "\(clip.entry.id)")
            #expect(clip.arrangement.tracks.allSatisfy { $0.notes.allSatisfy { $0.start >= 0 && $0.end <= 10 + 1e-9 } })
        }
        let again = try OutOfWorldCorpus.plan(options)
        #expect(again.map(\.entry) == clips.map(\.entry))
        #expect(Set(clips.compactMap { $0.entry.metadata?["soundfont"] }) == [SoundFonts.heldOut.lastPathComponent])
        #expect(!SoundFonts.training.contains(SoundFonts.heldOut))
    }
}
