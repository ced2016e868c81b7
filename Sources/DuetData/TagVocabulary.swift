import Foundation

/// A dataset's tag vocabulary: for each category, the canonical tags and their synonyms.
///
/// ```json
/// {"name": "duet-synth",
///  "categories": {"genre": {"jazz": ["swing"], "hip hop": ["hip-hop", "rap"]},
///                 "mood": {"calm": ["peaceful", "relaxed"]},
///                 "instrument": {"piano": [], "drums": ["drum kit"]}}}
/// ```
/// Manifests store canonical tags; captions may use any synonym. Look-ups are case-insensitive and
/// treat hyphens, underscores and repeated spaces as one space (`hip-hop` = `hip hop`).
public struct TagVocabulary: Codable, Sendable, Equatable {
    public var name: String
    /// category → canonical tag → synonyms.
    public var categories: [String: [String: [String]]] {
        didSet { index = Self.makeIndex(categories) }
    }
    /// category → normalised surface form → canonical tag (first owner wins on conflicts).
    private var index: [String: [String: String]]

    private enum CodingKeys: String, CodingKey { case name, categories }

    public init(name: String, categories: [String: [String: [String]]]) {
        self.name = name
        self.categories = categories
        self.index = Self.makeIndex(categories)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        categories = try container.decode([String: [String: [String]]].self, forKey: .categories)
        index = Self.makeIndex(categories)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(categories, forKey: .categories)
    }

    public static func == (lhs: TagVocabulary, rhs: TagVocabulary) -> Bool {
        lhs.name == rhs.name && lhs.categories == rhs.categories
    }

    private static func makeIndex(_ categories: [String: [String: [String]]]) -> [String: [String: String]] {
        var index: [String: [String: String]] = [:]
        for (category, tags) in categories {
            var forms: [String: String] = [:]
            for (canonical, synonyms) in tags.sorted(by: { $0.key < $1.key }) {
                for form in [canonical] + synonyms where forms[normalisedKey(form)] == nil {
                    forms[normalisedKey(form)] = canonical
                }
            }
            index[category] = forms
        }
        return index
    }

    /// Reads and checks a vocabulary file.
    public static func load(from url: URL) throws -> TagVocabulary {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DataFileError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        let vocabulary: TagVocabulary
        do { vocabulary = try JSONDecoder().decode(TagVocabulary.self, from: data) } catch {
            throw DataFileError.malformed(path: url.path, line: nil, reason: "not a tag vocabulary: \(error)")
        }
        let problems = vocabulary.problems()
        if !problems.isEmpty {
            throw DataFileError.malformed(path: url.path, line: nil, reason: problems.joined(separator: "; "))
        }
        return vocabulary
    }

    /// The key look-ups use: lower case, `-`/`_` as spaces, single spaces, trimmed.
    public static func normalisedKey(_ tag: String) -> String {
        String(tag.lowercased().map { $0 == "-" || $0 == "_" ? " " : $0 })
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The canonical tag a surface form names in a category, or `nil` when the vocabulary lacks it.
    public func canonical(_ tag: String, in category: String) -> String? {
        index[category]?[Self.normalisedKey(tag)]
    }

    /// The canonical tag followed by its synonyms; just `[tag]` when the vocabulary lacks it.
    public func surfaceForms(of tag: String, in category: String) -> [String] {
        let canonical = self.canonical(tag, in: category) ?? tag
        return [canonical] + (categories[category]?[canonical] ?? [])
    }

    /// Conflicts that make look-ups ambiguous: a surface form given to two canonical tags of a
    /// category, or empty names.
    public func problems() -> [String] {
        var problems: [String] = []
        for (category, tags) in categories.sorted(by: { $0.key < $1.key }) {
            var owner: [String: String] = [:]
            for (canonical, synonyms) in tags.sorted(by: { $0.key < $1.key }) {
                for form in [canonical] + synonyms {
                    let key = Self.normalisedKey(form)
                    if key.isEmpty {
                        problems.append("category '\(category)': tag '\(canonical)' has an empty surface form")
                    } else if let other = owner[key], other != canonical {
                        problems.append("category '\(category)': '\(form)' names both '\(other)' and '\(canonical)'")
                    } else {
                        owner[key] = canonical
                    }
                }
            }
        }
        return problems
    }
}
