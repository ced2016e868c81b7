import DuetData
import DuetRandom
import Testing
@testable import DuetSynth

/// Tags agree with the composed events, checked on many composed (not rendered) clips.
@Suite struct ComposerTests {
    /// 600 planned clips with their arrangements (composition only, no audio).
    static let corpus: [(CorpusPlan.Item, Arrangement)] = {
        let plan = CorpusPlan(count: 600, seed: 11)
        return plan.items.map { ($0, Composer.compose($0.tags, seed: $0.compositionSeed, duration: 10)) }
    }()

    @Test func instrumentTagsAreExactlyTheSoundingPrograms() {
        for (item, arrangement) in Self.corpus {
            var fromPrograms = Set<Instrument>()
            for track in arrangement.tracks {
                let instrument = Instrument.forProgram(track.program, percussion: track.isPercussion)
                #expect(instrument == track.instrument, "item \(item.id): program \(track.program) voices \(String(describing: instrument)), track says \(track.instrument)")
                if let instrument, !track.notes.isEmpty { fromPrograms.insert(instrument) }
                let sounding = track.notes.map(\.duration).reduce(0, +)
                #expect(track.notes.count >= 8 || sounding >= 0.4 * arrangement.duration,
                        "item \(item.id): \(track.instrument) has only \(track.notes.count) notes sounding \(sounding) s")
                #expect(track.volume >= 80, "item \(item.id): \(track.instrument) volume \(track.volume) is too low to be heard")
            }
            #expect(fromPrograms == Set(item.tags.instruments), "item \(item.id): tags \(item.tags.instruments) vs programs \(fromPrograms)")
            #expect(arrangement.soundingInstruments == Set(item.tags.instruments), "item \(item.id)")
        }
    }

    @Test func drumsArePresentExactlyWhenTagged() {
        for (item, arrangement) in Self.corpus {
            let percussion = arrangement.tracks.filter(\.isPercussion)
            let kits = item.tags.instruments.filter(\.isPercussionKit)
            #expect(kits.count <= 1, "item \(item.id) has both drums and a drum machine")
            if let kit = kits.first {
                #expect(percussion.count == 1 && percussion[0].bank == 128 && !percussion[0].notes.isEmpty, "item \(item.id)")
                let machineKit = percussion.first.map { [24, 25].contains($0.program) } ?? false
                #expect(machineKit == (kit == .drumMachine), "item \(item.id): \(kit) on kit \(percussion.first?.program ?? -1)")
            } else {
                #expect(percussion.isEmpty, "item \(item.id) has a drum track without the drums tag")
            }
        }
    }

    @Test func tempoLiesInEveryTaggedGenresRange() {
        for (item, arrangement) in Self.corpus {
            for genre in item.tags.genres {
                #expect(genre.style.tempoRange.contains(arrangement.tempo),
                        "item \(item.id): \(arrangement.tempo) BPM outside \(genre.rawValue) range \(genre.style.tempoRange)")
            }
        }
    }

    @Test func modeFollowsTheMoodsAndMelodiesStayInTheScale() {
        let majorMoods: Set<Mood> = [.happy, .romantic, .uplifting, .playful]
        let minorMoods: Set<Mood> = [.sad, .dark, .tense, .melancholic]
        for (item, arrangement) in Self.corpus {
            let moods = Set(item.tags.moods)
            if !moods.isDisjoint(with: majorMoods) { #expect(arrangement.mode == .major, "item \(item.id): \(moods) in \(arrangement.mode)") }
            if !moods.isDisjoint(with: minorMoods) { #expect(arrangement.mode == .minor, "item \(item.id): \(moods) in \(arrangement.mode)") }
            let scale = Set(arrangement.mode.scale)
            for track in arrangement.tracks where track.role == .lead && track.instrument.isMelodic {
                let outside = track.notes.filter { !scale.contains((($0.key - arrangement.tonic) % 12 + 12) % 12) }
                #expect(outside.isEmpty, "item \(item.id): \(outside.count) lead notes outside the \(arrangement.mode) scale")
            }
        }
    }

    @Test func labelCountsPerClipAreCatalogueLike() {
        for (item, _) in Self.corpus {
            #expect((1...2).contains(item.tags.genres.count), "item \(item.id)")
            #expect((1...3).contains(item.tags.moods.count), "item \(item.id)")
            #expect((2...6).contains(item.tags.instruments.count), "item \(item.id): \(item.tags.instruments)")
            #expect(Set(item.tags.moods).count == item.tags.moods.count)
        }
    }

    @Test func moodsChangeTempoAndDynamics() {
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(1, values.count)) }
        func position(_ item: CorpusPlan.Item, _ arrangement: Arrangement) -> Double {
            let range = TagSampler.tempoRange(of: item.tags.genres) ?? 0...1
            return (arrangement.tempo - range.lowerBound) / max(1, range.upperBound - range.lowerBound)
        }
        let calm = Self.corpus.filter { $0.0.tags.moods.contains(.calm) || $0.0.tags.moods.contains(.sad) }
        let energetic = Self.corpus.filter { $0.0.tags.moods.contains(.energetic) }
        let calmPosition = mean(calm.map(position))
        let energeticPosition = mean(energetic.map(position))
        #expect(energeticPosition > calmPosition + 0.3, "tempo position: energetic \(energeticPosition), calm/sad \(calmPosition)")
        func meanVelocity(_ clips: [(CorpusPlan.Item, Arrangement)]) -> Double {
            mean(clips.flatMap { $0.1.tracks.flatMap { $0.notes.map { Double($0.velocity) } } })
        }
        let calmVelocity = meanVelocity(calm)
        let energeticVelocity = meanVelocity(energetic)
        #expect(energeticVelocity > calmVelocity + 20, "mean velocity: energetic \(energeticVelocity), calm/sad \(calmVelocity)")
        #expect(Loudness.targetDecibels(dynamics: 1) - Loudness.targetDecibels(dynamics: 0.35) > 6)
    }

    @Test func compositionIsAPureFunctionOfTagsAndSeed() {
        let tags = ClipTags(genres: [.jazz], moods: [.calm], instruments: [.drums, .bass, .piano, .saxophone])
        let first = Composer.compose(tags, seed: 42, duration: 8)
        let second = Composer.compose(tags, seed: 42, duration: 8)
        let other = Composer.compose(tags, seed: 43, duration: 8)
        #expect(first == second)
        #expect(first != other)
        #expect(CorpusPlan(count: 50, seed: 5).items == CorpusPlan(count: 50, seed: 5).items)
        // Items do not depend on corpus size.
        #expect(Array(CorpusPlan(count: 80, seed: 5).items.prefix(50)).map(\.tags) == CorpusPlan(count: 50, seed: 5).items.map(\.tags))
    }

    @Test func notesNeverOverlapOnTheSameKeyAndStayInsideTheClip() {
        for (item, arrangement) in Self.corpus.prefix(200) {
            for track in arrangement.tracks {
                var lastEnd: [Int: Double] = [:]
                for note in track.notes {
                    #expect(note.start >= 0 && note.end <= arrangement.duration + 1e-9, "item \(item.id)")
                    #expect((1...127).contains(note.velocity) && (0...127).contains(note.key), "item \(item.id)")
                    if let end = lastEnd[note.key] { #expect(end <= note.start, "item \(item.id): overlapping key \(note.key) on \(track.instrument)") }
                    lastEnd[note.key] = note.end
                }
            }
        }
    }

    @Test func splitsAreEightyTenTen() {
        let plan = CorpusPlan(count: 1000, seed: 2)
        let counts = Dictionary(grouping: plan.items, by: \.split).mapValues(\.count)
        #expect(counts[.train] == 800 && counts[.valid] == 100 && counts[.test] == 100, "\(counts)")
        #expect(Set(plan.items.map(\.id)).count == 1000)
    }
}
