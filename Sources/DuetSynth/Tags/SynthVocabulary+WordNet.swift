import DuetData
import Foundation

extension SynthVocabulary {
    /// The vocabulary a corpus is written with: the standard one plus up to `limit` WordNet words
    /// per tag (`paraphrased(by:)`), so that the training captions, which write a tag as one of
    /// its synonyms a third of the time, paraphrase tags with words from a real lexical database.
    public static func forCorpus(wordNet folder: URL = WordNet.defaultFolder) throws -> SynthVocabulary {
        try standard.paraphrased(by: WordNet(folder: folder))
    }

    /// Adds WordNet synonyms and similar words to each tag: moods as adjectives (first sense and
    /// its "similar to" cluster), genres and instruments as nouns (first sense). A candidate is
    /// kept only if it is one or two plain words, is not already a surface form of any tag, and
    /// shares no word with the out-of-world phrase book (whose words training must never see).
    public func paraphrased(by wordNet: WordNet, limit: Int = 3) -> SynthVocabulary {
        var used = Set<String>()
        for tags in categories.values { for (tag, synonyms) in tags { used.insert(tag); used.formUnion(synonyms) } }
        let reserved = OutOfWorldCaptioner.phraseBookWords
        var result = self
        for category in TagCategory.descriptors where categories[category] != nil {
            let part: WordNet.PartOfSpeech = category == TagCategory.mood ? .adjective : .noun
            for tag in (categories[category] ?? [:]).keys.sorted() {
                var added: [String] = []
                for candidate in wordNet.related(to: tag, as: part) where added.count < limit {
                    let words = candidate.split(separator: " ")
                    guard (1...2).contains(words.count), candidate.count >= 3,
                          candidate.allSatisfy({ $0.isLetter || $0 == " " || $0 == "-" }),
                          !used.contains(candidate),
                          OutOfWorldCaptioner.words(candidate).isDisjoint(with: reserved) else { continue }
                    used.insert(candidate)
                    added.append(candidate)
                }
                result.categories[category]?[tag]?.append(contentsOf: added)
            }
        }
        return result
    }
}
