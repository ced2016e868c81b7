import Foundation

/// What a descriptor phrase means: a canonical tag of a category.
public struct DescriptorSense: Hashable, Sendable, Comparable {
    public var category: String
    public var canonical: String

    public init(category: String, canonical: String) {
        self.category = category
        self.canonical = canonical
    }

    public static func < (lhs: DescriptorSense, rhs: DescriptorSense) -> Bool {
        (lhs.category, lhs.canonical) < (rhs.category, rhs.canonical)
    }
}

/// One descriptor found in a text: where it is and what it may mean.
public struct DescriptorMention: Sendable, Equatable {
    /// The characters of the phrase in the text.
    public var range: Range<String.Index>
    /// Token positions `[first, last + 1)` in the text's tokenisation.
    public var tokens: Range<Int>
    /// The phrase's normalised tokens, as matched ("electric guitars" → `["electric", "guitars"]`).
    public var words: [String]
    /// Whether it matched the plural form of an instrument phrase.
    public var isPlural: Bool
    /// Every sense the matched phrase has (a phrase may be, say, both a genre and a mood).
    public var senses: Set<DescriptorSense>
}

/// A word of a text with where it sits.
struct TextToken: Equatable {
    var normalised: String
    var range: Range<String.Index>
    /// `true` when only spaces or hyphens separate it from the previous token, so a phrase may
    /// continue across; punctuation (`,` `.` `;` `:` `(`...) ends every phrase.
    var joinedToPrevious: Bool
}

/// The known descriptor phrases (tags, synonyms, dictionary alternatives) and a longest-match
/// finder for them in free text.
///
/// Matching is on words: letters, digits, `&` and `'` make words; hyphens and spaces separate
/// words inside a phrase (`hip-hop` matches `hip hop`); other punctuation ends a phrase. At each
/// position the longest phrase wins, so "electric guitar" is one instrument, not a mood or a genre
/// plus "guitar". Instrument phrases also match their plural ("distorted guitars").
public struct DescriptorLexicon: Sendable {
    struct Form: Sendable {
        var words: [String]
        var senses: Set<DescriptorSense>
        var isPlural: Bool
    }

    /// First word → forms starting with it, longest first.
    private var forms: [String: [Form]] = [:]
    /// The categories whose phrases also match in the plural.
    public var countableCategories: Set<String> = [TagCategory.instrument]

    public init() {}

    /// A lexicon of every surface form of a vocabulary and every phrase of a swap dictionary.
    public init(vocabulary: TagVocabulary?, dictionary: SwapDictionary? = nil) {
        if let vocabulary {
            for (category, tags) in vocabulary.categories {
                for (canonical, synonyms) in tags {
                    for form in [canonical] + synonyms {
                        add(phrase: form, sense: DescriptorSense(category: category, canonical: canonical))
                    }
                }
            }
        }
        if let dictionary {
            for (category, phrases) in dictionary.alternatives {
                for phrase in phrases {
                    let canonical = vocabulary?.canonical(phrase, in: category) ?? phrase
                    add(phrase: phrase, sense: DescriptorSense(category: category, canonical: canonical))
                }
            }
        }
    }

    /// Adds a phrase meaning `sense` (and, for countable categories, its plural).
    public mutating func add(phrase: String, sense: DescriptorSense) {
        let words = Self.tokenise(phrase).map(\.normalised)
        guard !words.isEmpty else { return }
        insert(Form(words: words, senses: [sense], isPlural: false))
        if countableCategories.contains(sense.category) {
            let pluralWords = Self.tokenise(EnglishGrammar.plural(of: phrase)).map(\.normalised)
            if pluralWords != words { insert(Form(words: pluralWords, senses: [sense], isPlural: true)) }
        }
    }

    /// Adds the item's own tags, canonicalised through the vocabulary when it knows them.
    public mutating func add(tags: [String: [String]], vocabulary: TagVocabulary?) {
        for (category, list) in tags {
            for tag in list {
                let canonical = vocabulary?.canonical(tag, in: category) ?? tag
                let forms = vocabulary?.surfaceForms(of: canonical, in: category) ?? [tag]
                for form in Set(forms + [tag]) {
                    add(phrase: form, sense: DescriptorSense(category: category, canonical: canonical))
                }
            }
        }
    }

    private mutating func insert(_ form: Form) {
        var list = forms[form.words[0], default: []]
        if let index = list.firstIndex(where: { $0.words == form.words }) {
            list[index].senses.formUnion(form.senses)
            list[index].isPlural = list[index].isPlural && form.isPlural
        } else {
            list.append(form)
            list.sort { $0.words.count > $1.words.count }
        }
        forms[form.words[0]] = list
    }

    /// Every phrase of the lexicon as written in normalised words, with its senses.
    public var phrases: [(words: [String], senses: Set<DescriptorSense>)] {
        forms.values.flatMap { $0 }.filter { !$0.isPlural }.map { ($0.words, $0.senses) }
    }

    /// The descriptors in `text`, left to right, longest match first, non-overlapping.
    /// - Parameter extra: a second (usually small, per-item) lexicon consulted as if merged into
    ///   this one, which avoids copying a large lexicon for every item.
    public func mentions(in text: String, extra: DescriptorLexicon? = nil) -> [DescriptorMention] {
        let tokens = Self.tokenise(text)
        var result: [DescriptorMention] = []
        var position = 0
        func longest(_ candidates: [Form]) -> Form? {
            for form in candidates where form.words.count <= tokens.count - position {
                var fits = true
                for offset in 1..<max(form.words.count, 1) {
                    let token = tokens[position + offset]
                    if !token.joinedToPrevious || token.normalised != form.words[offset] { fits = false; break }
                }
                if fits { return form }
            }
            return nil
        }
        while position < tokens.count {
            let first = tokens[position].normalised
            var matched = longest(forms[first] ?? [])
            if let extra, let other = longest(extra.forms[first] ?? []) {
                if let current = matched, current.words == other.words {
                    matched?.senses.formUnion(other.senses)
                    matched?.isPlural = current.isPlural && other.isPlural
                } else if matched == nil || other.words.count > matched!.words.count {
                    matched = other
                }
            }
            if let form = matched {
                let last = position + form.words.count - 1
                result.append(DescriptorMention(
                    range: tokens[position].range.lowerBound..<tokens[last].range.upperBound,
                    tokens: position..<(last + 1), words: form.words, isPlural: form.isPlural, senses: form.senses))
                position = last + 1
            } else {
                position += 1
            }
        }
        return result
    }

    /// Splits text into words (letters, digits, `&`, inner `'`), lower-cased, with their ranges.
    static func tokenise(_ text: String) -> [TextToken] {
        var tokens: [TextToken] = []
        var start: String.Index?
        var joined = true
        var separatorIsSoft = true
        var index = text.startIndex
        func isWordCharacter(_ character: Character) -> Bool {
            character.isLetter || character.isNumber || character == "&" || character == "'" || character == "’"
        }
        while index < text.endIndex {
            let character = text[index]
            if isWordCharacter(character) {
                if start == nil {
                    start = index
                    joined = separatorIsSoft && !tokens.isEmpty
                }
            } else {
                if let begin = start {
                    tokens.append(makeToken(text, begin..<index, joined: joined))
                    start = nil
                    separatorIsSoft = true
                }
                if !(character == " " || character == "-" || character == "\t") { separatorIsSoft = false }
            }
            index = text.index(after: index)
        }
        if let begin = start { tokens.append(makeToken(text, begin..<text.endIndex, joined: joined)) }
        return tokens
    }

    private static func makeToken(_ text: String, _ range: Range<String.Index>, joined: Bool) -> TextToken {
        var word = text[range].lowercased().replacingOccurrences(of: "’", with: "'")
        while word.hasPrefix("'") { word.removeFirst() }
        while word.hasSuffix("'") { word.removeLast() }
        return TextToken(normalised: word, range: range, joinedToPrevious: joined)
    }
}
