import DuetData
import DuetRandom
import Foundation
import Testing
@testable import DuetSynth

/// Tune clips: tags from metadata, the implied harmony, the arrangement, the plan's grouped splits
/// and determinism, and faithful training captions of their tags.
@Suite struct TuneCorpusTests {
    static let songs = AbcReader.read(TuneFixtures.folkSongs, collection: .essenFolksong, file: "fixture.abc").tunes
    static let reel = AbcReader.read(TuneFixtures.reel, collection: .ryansMammoth, file: "DuetsTestReel.abc").tunes

    /// Many distinct tunes for plans: the fixture tunes under different titles and files.
    static let manyTunes: [NotatedTune] = (0..<60).flatMap { index -> [NotatedTune] in
        (songs + reel).map { tune in
            var copy = tune
            copy.title = "\(tune.title) \(index)"
            copy.number = index
            return copy
        }
    }

    @Test func tagsComeFromTheMetadata() throws {
        let german = try #require(Self.songs.first)
        #expect(german.regions == ["germany", "poland"] && german.genres == [.folk] && german.forms == ["folk song"])
        #expect(german.meterTag == "triple meter")
        let chinese = Self.songs[1]
        #expect(chinese.regions == ["china"] && chinese.genres == [.folk, .eastAsian] && chinese.meterTag == "duple meter")
        var jig = try #require(Self.reel.first)
        jig.fields["R"] = "Slip Jig"
        jig.meter = Meter(numerator: 9, denominator: 8)
        #expect(jig.forms == ["fiddle tune", "slip jig"] && jig.meterTag == "compound triple meter")
        jig.fields["R"] = "strathspey"
        #expect(jig.genres == [.folk, .celtic])
        var children = german
        children.file = "kinder0.abc"
        #expect(children.genres == [.folk, .childrens])
        // Every tag a tune can get is in the vocabulary.
        let vocabulary = SynthVocabulary.standard.categories
        for tag in NotatedTune.regionTags { #expect(vocabulary[SynthVocabulary.regionCategory]?[tag] != nil, "\(tag)") }
        for tag in ["folk song", "fiddle tune", "reel", "jig", "slip jig", "hornpipe", "strathspey", "clog", "highland fling"] {
            #expect(vocabulary[SynthVocabulary.formCategory]?[tag] != nil, "\(tag)")
        }
    }

    @Test func harmonyFollowsTheMelody() throws {
        let book = AbcReader.read("X:1\nT:c\nM:4/4\nL:1/4\nK:C\nC E G c | F A c f | G B d g | c4 |\n", collection: .essenFolksong, file: "h.abc")
        let tune = try #require(book.tunes.first)
        let harmony = TuneHarmony(tune)
        #expect(harmony.tonic == 0 && harmony.mode == .major)
        // Four-beat bars are halved: two segments a bar.
        #expect(harmony.segments.map(\.root) == [0, 0, 5, 5, 7, 7, 0, 0])
        let dorian = try #require(Self.songs.last)
        let modal = TuneHarmony(dorian)
        #expect(modal.tonic == 2 && modal.mode == .dorian, "the song in K:C ends on D")
    }

    @Test func arrangementPlaysTheTuneWithTheTaggedInstruments() throws {
        for tune in Self.songs + Self.reel {
            for seed in UInt64(0)..<12 {
                let arrangement = TuneArranger.arrange(tune, seed: seed, duration: 10)
                var generator = SeededGenerator(seed: seed)
                let instrumentation = TuneInstrumentation.draw(for: tune, using: &generator)
                #expect(Set(arrangement.tracks.map(\.instrument)) == Set(instrumentation.instruments))
                #expect(arrangement.tags.instruments == instrumentation.instruments)
                #expect(arrangement.soundingInstruments == Set(instrumentation.instruments), "\(tune.identifier) seed \(seed)")
                #expect(arrangement.tracks.allSatisfy { $0.notes.allSatisfy { $0.start >= 0 && $0.end <= 10 + 1e-9 && (0...127).contains($0.key) } })
                #expect(Set(arrangement.tracks.map(\.channel)).count == arrangement.tracks.count && !arrangement.tracks.contains { $0.channel == 9 })
                let lead = try #require(arrangement.tracks.first { $0.role == .lead })
                #expect(lead.instrument == instrumentation.lead)
                // The lead plays the tune's pitch classes in order.
                let written = tune.notes.prefix(6).map { $0.key % 12 }
                #expect(Array(lead.notes.prefix(6).map { $0.key % 12 }) == Array(written))
                for track in arrangement.tracks {
                    #expect(Instrument.forProgram(track.program, percussion: false) == track.instrument, "\(track.instrument) program \(track.program)")
                }
                #expect(TuneArranger.arrange(tune, seed: seed, duration: 10) == arrangement)
            }
        }
    }

    @Test func planIsDeterministicWithGroupedSplitsAndLeavesComposedItemsAlone() {
        let plan = CorpusPlan(count: 400, seed: 3, tunes: Self.manyTunes, tuneShare: 0.15)
        let again = CorpusPlan(count: 400, seed: 3, tunes: Self.manyTunes, tuneShare: 0.15)
        #expect(plan.items == again.items)
        let tuneItems = plan.items.filter { $0.tune != nil }
        #expect(tuneItems.count == 60)
        let plain = CorpusPlan(count: 400, seed: 3)
        for (item, composed) in zip(plan.items, plain.items) where item.tune == nil { #expect(item == composed) }
        // No tune group in two splits, and the held-out splits are not empty.
        let splitsByGroup = Dictionary(grouping: tuneItems, by: { $0.tune?.groupKey ?? "" }).mapValues { Set($0.map(\.split)) }
        #expect(splitsByGroup.values.allSatisfy { $0.count == 1 })
        let splits = Set(tuneItems.map(\.split))
        #expect(splits.contains(.train) && splits.count >= 2)
        // Variants with the same title share a split even when their files differ.
        var variant = Self.manyTunes[0]
        variant.file = "variant0.abc"
        #expect(CorpusPlan.split(of: variant, seed: 3) == CorpusPlan.split(of: Self.manyTunes[0], seed: 3))
        for item in tuneItems {
            guard let tune = item.tune else { continue }
            #expect(item.tags.instruments == CorpusWriter.arrangement(for: item, seconds: 10).tags.instruments)
            #expect(item.tags.genres == tune.genres && item.tags.moods.isEmpty)
        }
    }

    @Test func manifestEntriesCarryMetadataTagsAndGroundedCaptions() throws {
        let plan = CorpusPlan(count: 200, seed: 11, tunes: Self.manyTunes, tuneShare: 0.5)
        let entries = CorpusWriter.entries(for: plan, seconds: 10)
        #expect(entries == CorpusWriter.entries(for: plan, seconds: 10))
        let vocabulary = try JSONDecoder().decode(TagVocabulary.self, from: try SynthVocabulary.standard.encoded())
        let dictionary = try SwapDictionary.bundled()
        let captioner = CaptionGenerator(vocabulary: vocabulary, dictionary: dictionary)
        var generator = SeededGenerator(seed: 2)
        var heldOut = 0
        for (item, entry) in zip(plan.items, entries) where item.tune != nil {
            let tune = try #require(item.tune)
            #expect(entry.metadata?["source"] == "music21" && entry.metadata?["title"] == tune.title)
            #expect(entry.metadata?["meter"] == tune.meter.description && entry.metadata?["file"] == tune.file)
            #expect(entry.tags[SynthVocabulary.formCategory] == tune.forms)
            #expect(entry.tags[SynthVocabulary.meterCategory] == [tune.meterTag])
            #expect(entry.tags[SynthVocabulary.regionCategory] == (tune.regions.isEmpty ? nil : tune.regions))
            #expect(entry.tags[TagCategory.mood] == nil && entry.tags[TagCategory.tempo]?.count == 1)
            #expect(entry.captionsByLanguage == nil)
            if entry.split == .train { #expect(entry.captions == nil) } else {
                heldOut += 1
                let captions = try #require(entry.captions)
                #expect((1...2).contains(captions.count))
                let arrangement = CorpusWriter.arrangement(for: item, seconds: 10)
                for caption in captions {
                    let lower = caption.lowercased()
                    let named = Instrument.allCases.filter { instrument in
                        HumanCaptioner.instrumentPhrases(instrument).contains { lower.contains($0.text.lowercased()) }
                    }
                    #expect(named.allSatisfy { arrangement.tags.instruments.contains($0) }, "\(caption)")
                    #expect(!named.isEmpty, "\(caption)")
                }
            }
            // The training captioner says every tag of every view and invents none.
            for _ in 0..<4 {
                let view = ViewDropout.sampleTags(from: entry.tags, using: &generator)
                let caption = captioner.caption(for: view, using: &generator)
                let check = CaptionCheck(caption: caption, tags: view, lexicon: captioner.lexicon, vocabulary: vocabulary)
                #expect(check.isFaithful, "\(caption): dropped \(check.dropped), invented \(check.invented)")
            }
        }
        #expect(heldOut > 0)
    }

    /// The real tune books, when `make setup` has unpacked them.
    static let corpusFolder: URL = {
        let models = ProcessInfo.processInfo.environment["DUET_MODELS"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("models")
        return TuneLibrary.corpusFolder(inModels: models)
    }()

    @Test(.enabled(if: FileManager.default.fileExists(atPath: corpusFolder.appendingPathComponent("ryansMammoth").path),
                   "needs the music21 tune books from `make setup`"))
    func readsTheMusic21TuneBooks() throws {
        let library = try TuneLibrary.load(from: Self.corpusFolder)
        print("music21 tune books: \(library.summary)")
        let counts = library.countsByCollection
        #expect((counts[.essenFolksong] ?? 0) >= 7500 && (counts[.ryansMammoth] ?? 0) >= 950, "\(library.summary)")
        #expect(library.skipped.count < library.tunes.count / 20, "\(library.summary)")
        #expect(Set(library.tunes.map(\.identifier)).count == library.tunes.count)
        let forms = Set(library.tunes.flatMap(\.forms))
        #expect(forms.isSuperset(of: ["folk song", "fiddle tune", "reel", "jig", "hornpipe", "strathspey"]))
        #expect(library.tunes.filter { !$0.regions.isEmpty }.count > 7000)
        let plan = CorpusPlan(count: 1000, seed: 0, tunes: library.tunes, tuneShare: 0.15)
        let items = plan.items.filter { $0.tune != nil }
        #expect(items.count == 150)
        #expect(Set(items.compactMap { $0.tune?.identifier }).count == 150)
        for item in items {
            let arrangement = CorpusWriter.arrangement(for: item, seconds: 10)
            #expect(arrangement.soundingInstruments == Set(item.tags.instruments), "\(item.tune?.identifier ?? "")")
            #expect(arrangement.tracks.contains { $0.role == .lead && $0.notes.count >= 8 }, "\(item.tune?.identifier ?? "")")
        }
    }
}
