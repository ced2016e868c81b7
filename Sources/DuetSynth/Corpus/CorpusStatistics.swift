import Foundation

/// Label statistics of a set of clips: how often each tag occurs, how many tags per clip, and
/// which tags co-occur most (the summary `duet synth --stats` prints).
public struct CorpusStatistics: Sendable, Equatable {
    public var itemCount: Int
    /// Occurrences of each canonical tag, keyed by "category:tag".
    public var tagCounts: [String: Int]
    /// Histograms of tags per clip: count → number of clips.
    public var genresPerClip: [Int: Int]
    public var moodsPerClip: [Int: Int]
    public var instrumentsPerClip: [Int: Int]
    /// Co-occurrence counts of tag pairs across categories and within, keyed "a + b" (a < b).
    public var pairCounts: [String: Int]

    public init(_ tags: [ClipTags]) {
        itemCount = tags.count
        tagCounts = [:]
        genresPerClip = [:]
        moodsPerClip = [:]
        instrumentsPerClip = [:]
        pairCounts = [:]
        for clip in tags {
            genresPerClip[clip.genres.count, default: 0] += 1
            moodsPerClip[clip.moods.count, default: 0] += 1
            instrumentsPerClip[clip.instruments.count, default: 0] += 1
            let labels = clip.genres.map { "genre:\($0.rawValue)" } + clip.moods.map { "mood:\($0.rawValue)" }
                + clip.instruments.map { "instrument:\($0.rawValue)" }
            for label in labels { tagCounts[label, default: 0] += 1 }
            for first in labels.indices {
                for second in labels.indices where second > first {
                    let pair = [labels[first], labels[second]].sorted().joined(separator: " + ")
                    pairCounts[pair, default: 0] += 1
                }
            }
        }
    }

    /// Every canonical tag label "category:tag" of the vocabulary, in vocabulary order.
    public static var allLabels: [String] {
        Genre.allCases.map { "genre:\($0.rawValue)" } + Mood.allCases.map { "mood:\($0.rawValue)" }
            + Instrument.allCases.map { "instrument:\($0.rawValue)" }
    }

    /// The rarest tag of the vocabulary and its count (0 when a tag never occurs).
    public var rarest: (label: String, count: Int) {
        Self.allLabels.map { ($0, tagCounts[$0] ?? 0) }.min { $0.1 < $1.1 } ?? ("", 0)
    }

    /// A human-readable report.
    public func report(topPairs: Int = 15) -> String {
        var lines = ["\(itemCount) clips"]
        func histogram(_ name: String, _ values: [Int: Int]) -> String {
            "\(name) per clip: " + values.keys.sorted().map { "\($0): \(values[$0] ?? 0)" }.joined(separator: ", ")
        }
        lines.append(histogram("genres", genresPerClip))
        lines.append(histogram("moods", moodsPerClip))
        lines.append(histogram("instruments", instrumentsPerClip))
        for category in ["genre", "mood", "instrument"] {
            let labels = Self.allLabels.filter { $0.hasPrefix(category + ":") }
            lines.append("\(category) counts:")
            for label in labels {
                let count = tagCounts[label] ?? 0
                let share = itemCount > 0 ? 100 * Double(count) / Double(itemCount) : 0
                lines.append("  \(String(label.dropFirst(category.count + 1)).padding(toLength: 18, withPad: " ", startingAt: 0)) \(count) (\(String(format1(share)))%)")
            }
        }
        let crossCategory = pairCounts.filter { pair in
            let parts = pair.key.split(separator: "+").map { $0.trimmingCharacters(in: .whitespaces) }
            return parts.count == 2 && parts[0].split(separator: ":")[0] != parts[1].split(separator: ":")[0]
        }
        lines.append("most frequent genre/mood/instrument pairs:")
        for (pair, count) in crossCategory.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }).prefix(topPairs) {
            lines.append("  \(pair): \(count)")
        }
        lines.append("per genre (clips): most frequent instruments | moods | partner genres:")
        for genre in Genre.allCases {
            let key = "genre:\(genre.rawValue)"
            func top(_ category: String, _ limit: Int) -> String {
                let prefix = category + ":"
                let counts: [(String, Int)] = CorpusStatistics.allLabels.filter { $0.hasPrefix(prefix) && $0 != key }.map { other in
                    (String(other.dropFirst(prefix.count)), pairCounts[[key, other].sorted().joined(separator: " + ")] ?? 0)
                }
                return counts.filter { $0.1 > 0 }.sorted { ($1.1, $0.0) < ($0.1, $1.0) }.prefix(limit)
                    .map { "\($0.0) \($0.1)" }.joined(separator: ", ")
            }
            lines.append("  \(genre.rawValue) (\(tagCounts[key] ?? 0)): \(top("instrument", 5)) | \(top("mood", 3)) | \(top("genre", 2))")
        }
        let (label, count) = rarest
        lines.append("rarest tag: \(label) (\(count))")
        return lines.joined(separator: "\n")
    }

    private func format1(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
