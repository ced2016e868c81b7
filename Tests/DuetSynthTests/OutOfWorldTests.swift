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

    /// Every word training texts can use: tag names and synonyms, the swap dictionary, generated
    /// captions of corpus clips and of tune clips' forms, meters and regions.
    static func trainingTextWords() throws -> Set<String> {
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
        return training
    }

    @Test func phraseBookSharesNoWordWithTrainingTexts() throws {
        let training = try Self.trainingTextWords()
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

    /// Random facts for caption checks: 1-6 distinct instruments, any tempo, mode and meter.
    static func randomFacts(using generator: inout SeededGenerator) -> OutOfWorldCaptioner.Facts {
        let count = generator.integer(in: 1...6)
        return OutOfWorldCaptioner.Facts(
            instruments: Array(generator.shuffle(Instrument.allCases).prefix(count)), tempo: generator.double(in: 50...200),
            minor: generator.chance(0.2) ? nil : generator.chance(0.5), beatsPerBar: generator.chance(0.3) ? 3 : 4)
    }

    @Test func trainingWordsCaptionsUseOnlyTrainingWordsAndTheSameShapes() throws {
        let training = try Self.trainingTextWords()
        var generator = SeededGenerator(seed: 12)
        var used = Set<String>()
        for index in 0..<2000 {
            let facts = Self.randomFacts(using: &generator)
            var bookGenerator = SeededGenerator(seed: UInt64(index))
            var plainGenerator = SeededGenerator(seed: UInt64(index))
            let book = OutOfWorldCaptioner.captions(for: facts, using: &bookGenerator)
            let plain = OutOfWorldCaptioner.captions(for: facts, wording: .trainingWords, using: &plainGenerator)
            #expect(book.count == plain.count)
            for caption in plain {
                used.formUnion(Self.words(caption))
                #expect(caption.lowercased().contains(facts.instruments[0].rawValue), "\(caption) does not name \(facts.instruments[0])")
            }
        }
        let foreign = used.subtracting(training).subtracting(Self.functionWords)
        #expect(foreign.isEmpty, "training-words captions use words training never reads: \(foreign.sorted())")
        #expect(used.isDisjoint(with: OutOfWorldCaptioner.phraseBookWords))
    }

    @Test func captionsNameTheInstrumentsThatPlayMost() {
        func track(_ instrument: Instrument, channel: Int, notes: Int, seconds: Double, velocity: Int) -> Track {
            let events = (0..<notes).map { NoteEvent(start: Double($0) * 0.5, duration: seconds, key: 60, velocity: velocity) }
            return Track(instrument: instrument, role: .comping, channel: channel, bank: 0, program: 0, volume: 100, pan: 64,
                         reverbSend: 40, notes: events)
        }
        // Piano: 16 notes of 0.5 s at full velocity (8.0); harp: 3 notes of 1 s (3.0 × 100/127); drums: 12 hits
        // counted 0.25 s each (3.0 × 127/127); flute: a 6-s note counted as 2 s (2.0 × 64/127).
        let tracks = [
            track(.harp, channel: 0, notes: 3, seconds: 1, velocity: 100), track(.piano, channel: 1, notes: 16, seconds: 0.5, velocity: 127),
            track(.drums, channel: 9, notes: 12, seconds: 0.05, velocity: 127), track(.flute, channel: 2, notes: 1, seconds: 6, velocity: 64),
        ]
        let arrangement = Arrangement(
            tags: ClipTags(genres: [], moods: [], instruments: [.drums, .flute, .harp, .piano]), tempo: 120, beatsPerBar: 4, tonic: 0,
            mode: .major, swing: 0.5, dynamics: 0.6, duration: 10, progression: Progression("I"), tracks: tracks)
        #expect(arrangement.instrumentsByProminence == [.piano, .drums, .harp, .flute])
        let facts = OutOfWorldCaptioner.Facts(instruments: [.piano, .drums, .harp, .flute], tempo: 120, minor: false, beatsPerBar: 4)
        for shape in 0..<OutOfWorldCaptioner.shapeCount {
            var generator = SeededGenerator(seed: UInt64(shape))
            let caption = OutOfWorldCaptioner.caption(shape: shape, facts: facts, using: &generator)
            #expect(OutOfWorldCaptioner.phrases(for: .piano).contains { caption.contains($0) || caption.contains(OutOfWorldCaptioner.capitalised($0)) },
                    "shape \(shape): \(caption)")
            #expect(!OutOfWorldCaptioner.phrases(for: .flute).contains { caption.lowercased().contains($0) }, "shape \(shape): \(caption)")
        }
    }

    @Test func heldOutWordingRecaptionsOnlyTheHeldOutClips() {
        let plan = CorpusPlan(count: 120, seed: 4)
        let corpus = CorpusWriter.entries(for: plan, seconds: 6)
        let book = CorpusWriter.entries(for: plan, seconds: 6, heldOutWording: .phraseBook)
        let plain = CorpusWriter.entries(for: plan, seconds: 6, heldOutWording: .trainingWords)
        #expect(book.map(\.id) == corpus.map(\.id) && book.map(\.tags) == corpus.map(\.tags) && plain.map(\.tags) == corpus.map(\.tags))
        #expect(book.map(\.metadata) == corpus.map(\.metadata))
        for (index, entry) in corpus.enumerated() where entry.split == .train {
            #expect(book[index] == entry && plain[index] == entry)
        }
        var heldOut = 0
        for (index, entry) in corpus.enumerated() where entry.split != .train {
            heldOut += 1
            let arrangement = CorpusWriter.arrangement(for: plan.items[index], seconds: 6)
            let leading = arrangement.instrumentsByProminence[0]
            #expect(book[index].captionsByLanguage == nil && plain[index].captionsByLanguage == nil)
            #expect(book[index].captions?.count == plain[index].captions?.count)
            for caption in plain[index].captions ?? [] { #expect(caption.lowercased().contains(leading.rawValue), "\(caption) vs \(leading)") }
            for caption in book[index].captions ?? [] {
                #expect(Self.words(caption).subtracting(Self.functionWords).isSubset(of: OutOfWorldCaptioner.phraseBookWords), "\(caption)")
            }
        }
        #expect(heldOut >= 12)
    }
}

