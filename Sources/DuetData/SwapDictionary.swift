import Foundation

/// The alternative descriptors TextSwap draws from, per category.
///
/// The file is a JSON object from category to a list of phrases, written so a person can edit it:
/// ```json
/// {"genre": ["rock", "bossa nova", ...], "mood": ["calm", "ominous", ...],
///  "instrument": ["piano", "pedal steel guitar", ...]}
/// ```
/// Moods are adjectives ("a *calm* piece"), genres work as noun modifiers ("a *jazz* piece"),
/// instruments are count nouns in the singular (their plural is derived). The default ships as
/// `Sources/DuetData/Resources/swap-dictionary.json`.
public struct SwapDictionary: Sendable, Equatable {
    /// category → alternative phrases.
    public var alternatives: [String: [String]]

    public init(alternatives: [String: [String]]) {
        self.alternatives = alternatives
    }

    /// Reads a dictionary file.
    public static func load(from url: URL) throws -> SwapDictionary {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DataFileError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        let decoded: [String: [String]]
        do { decoded = try JSONDecoder().decode([String: [String]].self, from: data) } catch {
            throw DataFileError.malformed(
                path: url.path, line: nil, reason: "a swap dictionary is a JSON object of category → list of phrases (\(error))")
        }
        for (category, phrases) in decoded where phrases.contains(where: { TagVocabulary.normalisedKey($0).isEmpty }) {
            throw DataFileError.malformed(path: url.path, line: nil, reason: "category '\(category)' has an empty phrase")
        }
        return SwapDictionary(alternatives: decoded)
    }

    /// The dictionary shipped with Duet.
    public static func bundled() throws -> SwapDictionary {
        guard let url = Bundle.module.url(forResource: "swap-dictionary", withExtension: "json", subdirectory: "Resources") else {
            throw DataFileError.unreadable(
                path: "swap-dictionary.json", reason: "the DuetData resource bundle is missing; rebuild the package")
        }
        return try load(from: url)
    }
}
