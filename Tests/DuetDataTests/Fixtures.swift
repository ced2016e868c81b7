import DuetData
import DuetRandom
import Foundation

/// Shared test inputs: the fixture folder, the test vocabulary, random items.
enum Fixtures {
    static var resources: URL {
        Bundle.module.url(forResource: "Resources", withExtension: nil)!
    }

    static func url(_ name: String) -> URL { resources.appendingPathComponent(name) }

    static let vocabulary: TagVocabulary = {
        do { return try TagVocabulary.load(from: url("vocabulary.json")) } catch {
            fatalError("test vocabulary unreadable: \(error)")
        }
    }()

    static let dictionary: SwapDictionary = {
        do { return try SwapDictionary.bundled() } catch { fatalError("bundled dictionary unreadable: \(error)") }
    }()

    /// A random item: 0–3 genres, 0–3 moods, 0–5 instruments from the vocabulary, sometimes an
    /// extra category, and one in four tags written as a synonym.
    static func randomTags(using generator: inout SeededGenerator) -> [String: [String]] {
        var tags: [String: [String]] = [:]
        for (category, maximum) in [(TagCategory.genre, 3), (TagCategory.mood, 3), (TagCategory.instrument, 5)] {
            let all = vocabulary.categories[category]!.keys.sorted()
            let count = generator.uniformIndex(below: maximum + 1)
            let chosen = generator.shuffle(all).prefix(count).map { tag -> String in
                let forms = vocabulary.surfaceForms(of: tag, in: category)
                return forms.count > 1 && generator.bernoulli(0.25) ? forms[1] : tag
            }
            if !chosen.isEmpty { tags[category] = Array(chosen) }
        }
        if generator.bernoulli(0.2) { tags["tempo"] = [generator.choose(["slow", "fast", "moderate"])] }
        return tags
    }
}
