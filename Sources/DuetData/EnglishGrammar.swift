/// The bits of English grammar captions need: indefinite articles, plurals, lists, capitals.
public enum EnglishGrammar {
    /// The indefinite article for a phrase by its first sound: "an ambient piece", "a ukulele",
    /// "an EDM track", "an 80s song", "an hour".
    public static func indefiniteArticle(for phrase: String) -> String {
        let word = phrase.split(whereSeparator: { $0 == " " || $0 == "-" }).first.map(String.init) ?? ""
        guard let first = word.first else { return "a" }
        let lower = word.lowercased()
        if first.isNumber {
            // Spoken "eight", "eleven", "eighteen", "eighty" begin with a vowel sound.
            if lower.hasPrefix("8") || lower.hasPrefix("11") || lower.hasPrefix("18") { return "an" }
            return "a"
        }
        let letters = word.filter(\.isLetter)
        if letters.count >= 2, letters.allSatisfy(\.isUppercase) {
            // An initialism is read letter by letter: "an EDM", "an R&B", "a DJ".
            return "AEFHILMNORSX".contains(letters.first!) ? "an" : "a"
        }
        for prefix in ["uni", "use", "usu", "uku", "ura", "eu", "one", "once", "ewe"] where lower.hasPrefix(prefix) {
            return "a"
        }
        for prefix in ["hour", "honest", "honou", "heir"] where lower.hasPrefix(prefix) {
            return "an"
        }
        return "aeiou".contains(lower.first!) ? "an" : "a"
    }

    /// Whether a descriptor reads as plural already ("drums", "strings", "vocals"): its last word
    /// ends in a single `s`.
    public static func isPlural(_ phrase: String) -> Bool {
        guard let last = phrase.split(separator: " ").last?.lowercased() else { return false }
        return last.hasSuffix("s") && !last.hasSuffix("ss") && !uncountableEndings.contains(where: last.hasSuffix)
    }

    /// The plural of a noun phrase, inflecting its last word: "electric guitar" → "electric guitars",
    /// "bass" → "basses", "harmony" → "harmonies"; already plural phrases are returned unchanged.
    public static func plural(of phrase: String) -> String {
        if isPlural(phrase) { return phrase }
        var words = phrase.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard var last = words.popLast(), !last.isEmpty else { return phrase }
        let lower = last.lowercased()
        if uncountableEndings.contains(where: lower.hasSuffix) {
            words.append(last)
            return words.joined(separator: " ")
        }
        if lower.hasSuffix("s") || lower.hasSuffix("x") || lower.hasSuffix("z") || lower.hasSuffix("ch")
            || lower.hasSuffix("sh")
        {
            last += "es"
        } else if lower.hasSuffix("y"), lower.count > 1,
            !"aeiou".contains(lower[lower.index(lower.endIndex, offsetBy: -2)])
        {
            last = String(last.dropLast()) + "ies"
        } else {
            last += "s"
        }
        words.append(last)
        return words.joined(separator: " ")
    }

    /// Whether the phrase's last word takes no plural ("percussion", "brass section" does).
    public static func isUncountable(_ phrase: String) -> Bool {
        let lower = phrase.lowercased()
        return uncountableEndings.contains(where: lower.hasSuffix)
    }

    /// Words that take no plural in a caption ("percussion", "brass", "music").
    static let uncountableEndings = ["percussion", "brass", "music", "electronics", "noise", "fx"]

    /// A list without the Oxford comma: "x", "x and y", "x, y and z".
    public static func list(_ items: [String], conjunction: String = "and") -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " \(conjunction) " + items.last!
        }
    }

    /// The phrase with its first letter upper-cased and the rest untouched ("eDM" stays "eDM").
    public static func capitalisingFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }
}
