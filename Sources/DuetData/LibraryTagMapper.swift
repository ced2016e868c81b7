import Foundation

/// Maps the tags people keep in their music files onto the recipe's categories, for `duet import library`.
///
/// - `GENRE` and `MOOD` values are split at `;`, `/`, `,` and `|`. A value the lexicon knows goes to the
///   lexicon's category (a `GENRE` of "Piano" is an instrument; a word the lexicon has in the field's own
///   category stays there); an unknown value stays in the field's category ("others kept").
/// - `COMMENT` is free text: only the lexicon's phrases found in it as whole words are taken, longest match
///   first ("brushed drums and a mellow upright bass" → instrument: drums, bass; mood: mellow).
/// - `BPM` becomes a tempo tag (`TagCategory.tempoTag`), the year an era tag ("1970s").
///
/// The lexicon is the swap dictionary's genre, mood and instrument phrases (`SwapDictionary.bundled()`, about
/// 430 phrases), compared as `TagVocabulary.normalisedKey`s.
public struct LibraryTagMapper: Sendable {
    /// normalised phrase → the categories it belongs to, in `TagCategory.descriptors` order.
    private let lexicon: [String: [String]]
    private let longestPhrase: Int
    /// Years outside this range are not turned into an era (a `DATE` of 0 or 9999 is junk).
    public static let plausibleYears = 1000...2200

    public init(dictionary: SwapDictionary) {
        var lexicon: [String: [String]] = [:]
        var longest = 1
        for category in TagCategory.descriptors {
            for phrase in dictionary.alternatives[category] ?? [] {
                let key = TagVocabulary.normalisedKey(phrase)
                guard !key.isEmpty else { continue }
                if !(lexicon[key]?.contains(category) ?? false) { lexicon[key, default: []].append(category) }
                longest = max(longest, key.split(separator: " ").count)
            }
        }
        self.lexicon = lexicon
        longestPhrase = longest
    }

    /// The manifest tags of one file: category → tags, each list without repeats, in the order found.
    public func tags(genres: [String], moods: [String], comment: String?, year: Int?, beatsPerMinute: Int?) -> [String: [String]] {
        var result: [String: [String]] = [:]
        func add(_ tag: String, to category: String) {
            if !(result[category]?.contains(tag) ?? false) { result[category, default: []].append(tag) }
        }
        for (field, values) in [(TagCategory.genre, genres), (TagCategory.mood, moods)] {
            for value in values.flatMap(Self.fieldValues) {
                let key = TagVocabulary.normalisedKey(value)
                guard !key.isEmpty, key.contains(where: \.isLetter) else { continue }
                let categories = lexicon[key] ?? []
                add(key, to: categories.contains(field) ? field : categories.first ?? field)
            }
        }
        if let comment {
            for (key, category) in phrases(in: comment) { add(key, to: category) }
        }
        if let beatsPerMinute, beatsPerMinute > 0 {
            add(TagCategory.tempoTag(beatsPerMinute: Double(beatsPerMinute)), to: TagCategory.tempo)
        }
        if let year, Self.plausibleYears.contains(year) { add(TagCategory.eraTag(year: year), to: TagCategory.era) }
        return result
    }

    /// The lexicon's phrases in free text, longest match first, left to right; each with its first category.
    func phrases(in text: String) -> [(String, String)] {
        let words = text.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "'") }.map(String.init)
        var found: [(String, String)] = []
        var index = 0
        while index < words.count {
            var matched = false
            for length in stride(from: min(longestPhrase, words.count - index), through: 1, by: -1) {
                let key = words[index..<(index + length)].joined(separator: " ")
                if let category = lexicon[key]?.first {
                    found.append((key, category))
                    index += length
                    matched = true
                    break
                }
            }
            if !matched { index += 1 }
        }
        return found
    }

    /// The values of one `GENRE` or `MOOD` entry ("Jazz; Bossa Nova", "Rock/Pop").
    static func fieldValues(_ value: String) -> [String] {
        value.split { ";/,|".contains($0) }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
