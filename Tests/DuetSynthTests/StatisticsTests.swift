import DuetData
import Testing
@testable import DuetSynth

/// Corpus statistics of 2000 planned clips (tags only, no rendering).
@Suite struct StatisticsTests {
    static let plan = CorpusPlan(count: 2000, seed: 3)
    static let statistics = CorpusStatistics(plan.items.map(\.tags))

    @Test func everyTagAppearsOftenEnoughToLearn() {
        let (label, count) = Self.statistics.rarest
        // 0.5 % of 2000 = 10 clips: with 52 genres, 30 moods and 56 instruments the rarest tags of
        // a catalogue (a piccolo, a solemn mood) are rare, but each still has examples to learn from.
        #expect(count >= 10, "rarest tag \(label) occurs only \(count) times in 2000 clips")
        for label in CorpusStatistics.allLabels {
            #expect((Self.statistics.tagCounts[label] ?? 0) >= 10, "\(label): \(Self.statistics.tagCounts[label] ?? 0)")
        }
    }

    @Test func perClipCountsLookLikeACatalogue() {
        let statistics = Self.statistics
        #expect(Set(statistics.genresPerClip.keys).isSubset(of: [1, 2]))
        #expect(Set(statistics.moodsPerClip.keys).isSubset(of: [1, 2, 3]))
        #expect(Set(statistics.instrumentsPerClip.keys).isSubset(of: Set(2...6)))
        for (name, histogram) in [("genres", statistics.genresPerClip), ("moods", statistics.moodsPerClip), ("instruments", statistics.instrumentsPerClip)] {
            #expect(histogram.values.max() ?? 0 < 1700, "\(name) per clip is nearly constant: \(histogram)")
        }
    }

    @Test func instrumentationFollowsTheGenres() {
        for item in Self.plan.items {
            let genres = item.tags.genres
            for instrument in item.tags.instruments where !instrument.isPercussionKit && instrument != .bass {
                let inPool = genres.contains { ($0.style.instrumentWeights[instrument] ?? 0) > 0 || $0.style.signatureInstruments.contains(instrument) }
                #expect(inPool, "item \(item.id): \(instrument) does not belong to \(genres)")
            }
            if genres == [.classical] {
                #expect(!item.tags.instruments.contains(.drums) && !item.tags.instruments.contains(.bass) && !item.tags.instruments.contains(.distortedGuitar),
                        "item \(item.id): a string-quartet style clip with \(item.tags.instruments)")
            }
            if genres.first == .metal { #expect(item.tags.instruments.contains(.distortedGuitar), "item \(item.id)") }
            for mood in item.tags.moods {
                #expect(genres.contains { ($0.style.moodWeights[mood] ?? 0) > 0 }, "item \(item.id): \(mood) with \(genres)")
            }
        }
        let pairs = Self.statistics.pairCounts
        #expect((pairs["genre:metal + mood:happy"] ?? 0) == 0)
        #expect((pairs["genre:jazz + instrument:saxophone"] ?? 0) > (pairs["genre:metal + instrument:saxophone"] ?? 0))
    }

    @Test func reportListsEveryTag() {
        let report = Self.statistics.report()
        for label in CorpusStatistics.allLabels {
            let tag = label.split(separator: ":", maxSplits: 1)[1]
            #expect(report.contains("  \(tag)"), "report misses \(tag)")
        }
        #expect(report.contains("rarest tag"))
    }
}
