import DuetRandom

/// Turns an item's tags into an English caption offline, without a language model.
///
/// A caption is built from one of 63 sentence patterns (the nine below and ``CaptionPatterns``) ("A calm jazz piece with piano and
/// cello.", "Energetic rock featuring distorted guitars and drums.", "This jazz tune sounds calm,
/// led by piano.", "You can hear piano in this calm jazz recording.", ...), with the tags of each
/// category in a random order, each tag written as its canonical name or one of its vocabulary
/// synonyms, some instruments in the plural, the article chosen by sound ("an ambient piece"),
/// lists joined as "x, y and z", and every sentence capitalised. Categories other than genre, mood
/// and instrument become a sentence "The tempo is fast.".
///
/// Guarantees (checked by ``CaptionCheck`` on every caption, retried with new choices otherwise):
/// every tag appears, possibly by synonym, and no genre, mood or instrument is added. When no
/// pattern passes the check (a vocabulary whose phrases overlap oddly), the caption falls back to
/// the explicit form "Genre: jazz; mood: calm; instruments: piano, cello.". The result depends
/// only on the tags, the vocabulary and the generator's state, so a seed reproduces it.
public struct CaptionGenerator: Sendable {
    public var vocabulary: TagVocabulary?
    /// Known descriptors used to check captions (vocabulary and swap dictionary).
    public var lexicon: DescriptorLexicon
    /// Probability of writing a tag as one of its synonyms rather than its canonical name.
    public var synonymProbability = 0.35
    /// Probability of writing a countable instrument in the plural after "with"/"featuring".
    public var pluralProbability = 0.25
    /// Probability of one of ``CaptionPatterns``' templates (scenes, comparisons, tag lists in any
    /// order) rather than the nine core patterns, when a view has genres, moods and instruments.
    public var worldPatternProbability = 0.6
    /// Attempts with fresh random choices before the explicit fallback.
    public var maximumAttempts = 8

    public init(vocabulary: TagVocabulary?, dictionary: SwapDictionary?) {
        self.vocabulary = vocabulary
        self.lexicon = DescriptorLexicon(vocabulary: vocabulary, dictionary: dictionary)
    }

    static let nouns = ["piece", "track", "song", "tune", "recording", "composition", "number"]
    static let withVerbs = ["with", "featuring", "played on", "built around", "led by", "driven by", "carried by"]
    static let participles = ["featuring", "built around", "led by", "driven by", "carried by", "played on"]
    /// Instrument head words that read well in the plural ("distorted guitars", "synth pads").
    static let pluralisable: Set<String> = [
        "guitar", "violin", "trumpet", "horn", "synth", "keyboard", "bell", "saxophone", "flute", "clarinet",
        "pad", "lead", "drum", "cello", "trombone", "conga", "bongo", "cymbal",
    ]

    /// A caption for `tags` (category → tags).
    public func caption<Generator: RandomNumberGenerator>(
        for tags: [String: [String]], using generator: inout Generator
    ) -> String {
        for _ in 0..<maximumAttempts {
            let candidate = render(tags, using: &generator)
            if CaptionCheck(caption: candidate, tags: tags, lexicon: lexicon, vocabulary: vocabulary).isFaithful {
                return candidate
            }
        }
        return explicitCaption(for: tags)
    }

    /// The fallback: every category named, its tags listed with commas.
    public func explicitCaption(for tags: [String: [String]]) -> String {
        let order = Self.categoryOrder(tags)
        if order.isEmpty { return "A piece of music." }
        let parts = order.map { category -> String in
            let name = category == TagCategory.instrument ? "instruments" : category
            return "\(name): " + (tags[category] ?? []).joined(separator: ", ")
        }
        return EnglishGrammar.capitalisingFirst(parts.joined(separator: "; ")) + "."
    }

    /// Genre, mood, instrument, then the other non-empty categories by name.
    public static func categoryOrder(_ tags: [String: [String]]) -> [String] {
        let descriptors = TagCategory.descriptors.filter { !(tags[$0] ?? []).isEmpty }
        let others = tags.keys.filter { !TagCategory.descriptors.contains($0) && !(tags[$0] ?? []).isEmpty }.sorted()
        return descriptors + others
    }

    private func surface<Generator: RandomNumberGenerator>(
        _ tag: String, _ category: String, using generator: inout Generator
    ) -> String {
        let forms = vocabulary?.surfaceForms(of: tag, in: category) ?? [tag]
        if forms.count > 1, generator.bernoulli(synonymProbability) {
            return forms[1 + generator.uniformIndex(below: forms.count - 1)]
        }
        return forms[0]
    }

    private func render<Generator: RandomNumberGenerator>(
        _ tags: [String: [String]], using generator: inout Generator
    ) -> String {
        func phrases(_ category: String) -> [String] {
            generator.shuffle(tags[category] ?? []).map { surface($0, category, using: &generator) }
        }
        let moods = EnglishGrammar.list(phrases(TagCategory.mood))
        let genres = EnglishGrammar.list(phrases(TagCategory.genre))
        var instrumentPhrases = phrases(TagCategory.instrument)
        let noun = generator.choose(Self.nouns)
        let verb = generator.choose(Self.withVerbs)
        let participle = generator.choose(Self.participles)
        if verb == "with" || verb == "featuring" {
            instrumentPhrases = instrumentPhrases.map { phrase in
                let head = phrase.split(separator: " ").last.map { String($0).lowercased() } ?? ""
                if Self.pluralisable.contains(head), generator.bernoulli(pluralProbability) {
                    return EnglishGrammar.plural(of: phrase)
                }
                return phrase
            }
        }
        let instruments = EnglishGrammar.list(instrumentPhrases)
        let (hasMood, hasGenre, hasInstrument) = (!moods.isEmpty, !genres.isEmpty, !instruments.isEmpty)

        func withArticle(_ words: [String]) -> String {
            let phrase = words.filter { !$0.isEmpty }.joined(separator: " ")
            return EnglishGrammar.indefiniteArticle(for: phrase) + " " + phrase
        }
        let instrumentTail = hasInstrument ? " \(verb) \(instruments)" : ""
        let participleTail = hasInstrument ? ", \(participle) \(instruments)" : ""

        var patterns: [[String]] = [[withArticle([moods, genres, noun]) + instrumentTail]]
        if hasGenre, hasInstrument, verb == "with" || verb == "featuring" {
            patterns.append([[moods, genres].filter { !$0.isEmpty }.joined(separator: " ") + instrumentTail])
        }
        if hasMood {
            patterns.append(["this " + [genres, noun].filter { !$0.isEmpty }.joined(separator: " ") + " sounds \(moods)" + participleTail])
            patterns.append([withArticle([genres, noun]) + instrumentTail, "it feels \(moods)"])
            patterns.append([withArticle([noun]) + " that is \(moods)" + (hasGenre ? ", rooted in \(genres)" : "") + participleTail])
        }
        if hasGenre {
            patterns.append([withArticle([moods, noun]) + " in the style of \(genres)" + participleTail])
            patterns.append([withArticle([moods, noun]) + " of \(genres)" + instrumentTail])
            if hasMood { patterns.append([withArticle([genres, noun]) + instrumentTail + "; the mood is \(moods)"]) }
        }
        if hasInstrument {
            patterns.append(["you can hear \(instruments) in this " + [moods, genres, noun].filter { !$0.isEmpty }.joined(separator: " ")])
        }
        var sentences = generator.choose(patterns)
        // With all three descriptor categories, most captions take one of the wider patterns.
        if hasMood, hasGenre, hasInstrument, generator.bernoulli(worldPatternProbability) {
            let firstMood = (tags[TagCategory.mood] ?? []).first.flatMap { vocabulary?.canonical($0, in: TagCategory.mood) ?? $0 } ?? ""
            let scene = generator.choose(CaptionPatterns.scenes[firstMood] ?? CaptionPatterns.generalScenes)
            sentences = [CaptionPatterns.render(
                generator.choose(CaptionPatterns.templates), moods: moods, genres: genres, instruments: instruments,
                noun: noun, scene: scene)]
        }
        for category in Self.categoryOrder(tags) where !TagCategory.descriptors.contains(category) {
            sentences.append("the \(category) is " + EnglishGrammar.list(phrases(category)))
        }
        return sentences.map { EnglishGrammar.capitalisingFirst($0) + "." }.joined(separator: " ")
    }
}
