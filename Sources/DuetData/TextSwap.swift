import DuetRandom

/// TextSwap (paper, section 5.1): a hard negative made by swapping one genre, mood or instrument
/// descriptor of a caption for an alternative from a dictionary that is not a tag of the item.
///
/// The swap finds the caption's descriptors with ``DescriptorLexicon`` (longest match, synonyms and
/// instrument plurals included), picks one of the chosen category (preferring the item's true
/// tags), and replaces its characters with an alternative, keeping the rest of the text byte for
/// byte except for grammar around it: the plural is kept ("distorted guitars" → "banjos"), a
/// capital first letter is kept, the article before it follows the new first sound ("a calm
/// piece" → "an ominous piece"), and an article is dropped when a plural-only alternative replaces
/// a singular ("with a cello" → "with strings").
///
/// An alternative is eligible when it is not one of the item's tags (by canonical name or synonym),
/// does not contain or sit inside the words of one of the item's tags of that category ("grand
/// piano" for an item with "piano"), and is not already in the caption. The result is re-read and
/// kept only if it differs from the source in exactly that one descriptor; otherwise another
/// alternative is tried.
public struct TextSwap: Sendable {
    public var dictionary: SwapDictionary
    public var vocabulary: TagVocabulary?
    public var lexicon: DescriptorLexicon
    /// Alternatives tried before giving up on a category.
    public var maximumAttempts = 16

    public init(dictionary: SwapDictionary, vocabulary: TagVocabulary?) {
        self.dictionary = dictionary
        self.vocabulary = vocabulary
        self.lexicon = DescriptorLexicon(vocabulary: vocabulary, dictionary: dictionary)
    }

    /// A swapped caption and what was swapped.
    public struct Result: Codable, Sendable, Equatable {
        public var text: String
        public var category: String
        /// The replaced descriptor as written in the source.
        public var original: String
        /// The alternative as written in the result (possibly pluralised or capitalised).
        public var replacement: String

        public init(text: String, category: String, original: String, replacement: String) {
            self.text = text
            self.category = category
            self.original = original
            self.replacement = replacement
        }
    }

    /// The item's true senses and the words of all their surface forms, by category.
    private func truth(of tags: [String: [String]]) -> (senses: Set<DescriptorSense>, words: [String: [[String]]]) {
        var senses = Set<DescriptorSense>()
        var words: [String: [[String]]] = [:]
        for (category, list) in tags {
            for tag in list {
                let canonical = vocabulary?.canonical(tag, in: category) ?? tag
                senses.insert(DescriptorSense(category: category, canonical: canonical))
                for form in (vocabulary?.surfaceForms(of: canonical, in: category) ?? []) + [tag] {
                    words[category, default: []].append(DescriptorLexicon.tokenise(form).map(\.normalised))
                }
            }
        }
        return (senses, words)
    }

    /// The descriptor categories of `TagCategory.descriptors` that have a mention in `caption`.
    public func categories(in caption: String, tags: [String: [String]]) -> [String] {
        var itemLexicon = DescriptorLexicon()
        itemLexicon.add(tags: tags, vocabulary: vocabulary)
        let present = Set(lexicon.mentions(in: caption, extra: itemLexicon).flatMap { $0.senses.map(\.category) })
        return TagCategory.descriptors.filter { present.contains($0) && !(dictionary.alternatives[$0] ?? []).isEmpty }
    }

    /// One swap in `category`, or `nil` when the caption has no descriptor of it or no alternative fits.
    public func swap<Generator: RandomNumberGenerator>(
        caption: String, tags: [String: [String]], category: String, using generator: inout Generator
    ) -> Result? {
        var itemLexicon = DescriptorLexicon()
        itemLexicon.add(tags: tags, vocabulary: vocabulary)
        let mentions = lexicon.mentions(in: caption, extra: itemLexicon)
        let (trueSenses, trueWords) = truth(of: tags)
        let ofCategory = mentions.indices.filter { mentions[$0].senses.contains { $0.category == category } }
        let truthful = ofCategory.filter { !mentions[$0].senses.isDisjoint(with: trueSenses) }
        guard let chosen = (truthful.isEmpty ? ofCategory : truthful).randomIndexElement(using: &generator) else {
            return nil
        }
        let target = mentions[chosen]
        let presentSenses = Set(mentions.flatMap(\.senses))
        let categoryWords = (trueWords[category] ?? []) + [singularWords(of: target)]

        let candidates = (dictionary.alternatives[category] ?? []).filter { phrase in
            let sense = DescriptorSense(category: category, canonical: vocabulary?.canonical(phrase, in: category) ?? phrase)
            if trueSenses.contains(sense) || presentSenses.contains(sense) { return false }
            let words = DescriptorLexicon.tokenise(phrase).map(\.normalised)
            if words.isEmpty { return false }
            return !categoryWords.contains { $0.containsSequence(words) || words.containsSequence($0) }
        }
        let tokens = DescriptorLexicon.tokenise(caption)
        var attempts = 0
        for phrase in generator.shuffle(candidates) where attempts < maximumAttempts {
            attempts += 1
            let (text, written) = replace(target, in: caption, tokens: tokens, with: phrase, category: category)
            let swapped = lexicon.mentions(in: text, extra: itemLexicon)
            guard swapped.count == mentions.count else { continue }
            let othersUnchanged = mentions.indices.allSatisfy { index in
                index == chosen || (swapped[index].words == mentions[index].words && swapped[index].senses == mentions[index].senses)
            }
            let newSenses = swapped[chosen].senses
            guard othersUnchanged, newSenses.contains(where: { $0.category == category }),
                newSenses.isDisjoint(with: trueSenses)
            else { continue }
            return Result(text: text, category: category, original: String(caption[target.range]), replacement: written)
        }
        return nil
    }

    /// The paper's hard negatives for one caption: TextSwap applied once per descriptor category the
    /// caption mentions (genre, mood, instrument order), each variant from the source caption.
    public func hardNegatives<Generator: RandomNumberGenerator>(
        caption: String, tags: [String: [String]], using generator: inout Generator
    ) -> [Result] {
        categories(in: caption, tags: tags).compactMap {
            swap(caption: caption, tags: tags, category: $0, using: &generator)
        }
    }

    private func singularWords(of mention: DescriptorMention) -> [String] {
        guard mention.isPlural, let sense = mention.senses.first else { return mention.words }
        return DescriptorLexicon.tokenise(sense.canonical).map(\.normalised)
    }

    /// The caption with `mention` replaced by `phrase`, grammar kept; also the phrase as written.
    private func replace(
        _ mention: DescriptorMention, in caption: String, tokens: [TextToken], with phrase: String, category: String
    ) -> (String, String) {
        var written = phrase
        if mention.isPlural { written = EnglishGrammar.plural(of: phrase) }
        if caption[mention.range].first?.isUppercase == true { written = EnglishGrammar.capitalisingFirst(written) }
        var prefixEnd = mention.range.lowerBound
        var article = ""
        if mention.tokens.lowerBound > 0 {
            let previous = tokens[mention.tokens.lowerBound - 1]
            let between = caption[previous.range.upperBound..<mention.range.lowerBound]
            if previous.normalised == "a" || previous.normalised == "an", between.allSatisfy({ $0 == " " }) {
                prefixEnd = previous.range.lowerBound
                let capital = caption[previous.range].first?.isUppercase == true
                let becomesPlural = !mention.isPlural && category == TagCategory.instrument && EnglishGrammar.isPlural(phrase)
                if becomesPlural {
                    if capital { written = EnglishGrammar.capitalisingFirst(written) }
                } else {
                    let chosen = EnglishGrammar.indefiniteArticle(for: written)
                    article = (capital ? EnglishGrammar.capitalisingFirst(chosen) : chosen) + String(between)
                }
            }
        }
        let text = String(caption[..<prefixEnd]) + article + written + String(caption[mention.range.upperBound...])
        return (text, written)
    }
}

extension Array where Element: Equatable {
    /// Whether `other` occurs in this array as a contiguous run.
    func containsSequence(_ other: [Element]) -> Bool {
        guard !other.isEmpty, other.count <= count else { return other.isEmpty }
        for start in 0...(count - other.count) where Array(self[start..<(start + other.count)]) == other {
            return true
        }
        return false
    }

    /// A uniformly chosen element, or `nil` when empty.
    func randomIndexElement<Generator: RandomNumberGenerator>(using generator: inout Generator) -> Element? {
        isEmpty ? nil : self[generator.uniformIndex(below: count)]
    }
}
