import Foundation

/// Counts that describe a manifest: items per split, tags per category, captions, durations.
public struct ManifestStatistics: Codable, Sendable, Equatable {
    public var items: Int
    public var itemsPerSplit: [String: Int]
    /// category → number of distinct tags.
    public var distinctTags: [String: Int]
    /// category → mean number of tags per item (over all items).
    public var meanTagsPerItem: [String: Double]
    /// category → the most frequent tags with their counts, most frequent first (ties by name).
    public var topTags: [String: [TagCount]]
    public var itemsWithCaptions: Int
    public var captions: Int
    /// Total of `end − start` over items that have both bounds, in seconds.
    public var segmentSeconds: Double

    public struct TagCount: Codable, Sendable, Equatable {
        public var tag: String
        public var count: Int
    }

    public init(entries: [ManifestEntry], topCount: Int = 10) {
        items = entries.count
        itemsPerSplit = Dictionary(grouping: entries, by: \.split.rawValue).mapValues(\.count)
        var counts: [String: [String: Int]] = [:]
        var totals: [String: Int] = [:]
        for entry in entries {
            for (category, tags) in entry.tags {
                totals[category, default: 0] += tags.count
                for tag in tags { counts[category, default: [:]][tag, default: 0] += 1 }
            }
        }
        distinctTags = counts.mapValues(\.count)
        meanTagsPerItem = totals.mapValues { entries.isEmpty ? 0 : Double($0) / Double(entries.count) }
        topTags = counts.mapValues { tagCounts in
            tagCounts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(topCount).map { TagCount(tag: $0.key, count: $0.value) }
        }
        itemsWithCaptions = entries.filter { !($0.captions ?? []).isEmpty }.count
        captions = entries.reduce(0) { $0 + ($1.captions?.count ?? 0) }
        segmentSeconds = entries.reduce(0) { total, entry in
            guard let start = entry.start, let end = entry.end else { return total }
            return total + (end - start)
        }
    }

    /// A human-readable summary, one fact per line.
    public var summary: String {
        var lines = ["items: \(items) (" + itemsPerSplit.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"]
        for category in distinctTags.keys.sorted() {
            let top = (topTags[category] ?? []).map { "\($0.tag) \($0.count)" }.joined(separator: ", ")
            lines.append("\(category): \(distinctTags[category] ?? 0) distinct, \(String(format: "%.2f", meanTagsPerItem[category] ?? 0)) per item; top: \(top)")
        }
        lines.append("captions: \(captions) on \(itemsWithCaptions) items")
        if segmentSeconds > 0 { lines.append("segments: \(String(format: "%.1f", segmentSeconds / 3600)) hours") }
        return lines.joined(separator: "\n")
    }
}
