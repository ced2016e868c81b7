import Foundation

/// The BERT normaliser, matching Hugging Face `tokenizers`' `BertNormalizer` step by step:
///
/// 1. clean text: drop U+0000, U+FFFD and control scalars (``Unicode/Scalar/isBertControl``), and
///    replace every whitespace scalar by a space;
/// 2. surround each CJK ideograph with spaces so that it becomes a word of its own;
/// 3. strip accents: canonical decomposition (NFD), then drop every nonspacing mark (Mn);
/// 4. lowercase each scalar with its full Unicode lowercase mapping (no context rules).
///
/// `tokenizer.json` leaves `strip_accents` null, which means "strip when lowercasing".
public struct BertNormalizer: TextNormalizer {
    public var cleanText: Bool
    public var handleChineseCharacters: Bool
    public var stripAccents: Bool
    public var lowercase: Bool

    public init(cleanText: Bool = true, handleChineseCharacters: Bool = true, stripAccents: Bool? = nil, lowercase: Bool = true) {
        self.cleanText = cleanText
        self.handleChineseCharacters = handleChineseCharacters
        self.stripAccents = stripAccents ?? lowercase
        self.lowercase = lowercase
    }

    public func normalize(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var scalars = text
        if cleanText {
            scalars = scalars.compactMap { scalar in
                if scalar.value == 0 || scalar.value == 0xFFFD || scalar.isBertControl { return nil }
                return scalar.isBertWhitespace ? " " : scalar
            }
        }
        if handleChineseCharacters, scalars.contains(where: \.isBertChineseCharacter) {
            var spaced: [Unicode.Scalar] = []
            spaced.reserveCapacity(scalars.count + 8)
            for scalar in scalars {
                if scalar.isBertChineseCharacter {
                    spaced.append(" "); spaced.append(scalar); spaced.append(" ")
                } else {
                    spaced.append(scalar)
                }
            }
            scalars = spaced
        }
        if stripAccents {
            scalars = Self.canonicalDecomposition(scalars).filter { $0.bertGeneralCategory != .nonspacingMark }
        }
        if lowercase {
            var lowered: [Unicode.Scalar] = []
            lowered.reserveCapacity(scalars.count)
            for scalar in scalars {
                // ASCII is by far the common case; the full mapping handles the rest (e.g. İ → i + U+0307).
                if scalar.isASCII {
                    lowered.append(scalar.value >= 0x41 && scalar.value <= 0x5A ? Unicode.Scalar(scalar.value + 32)! : scalar)
                } else {
                    lowered.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
                }
            }
            scalars = lowered
        }
        return scalars
    }

    /// NFD of `scalars`, with scalars assigned after Unicode 8.0 left as they are (the reference's
    /// tables do not know them, e.g. U+11938 stays whole). Pure ASCII skips the conversion.
    static func canonicalDecomposition(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        if scalars.allSatisfy(\.isASCII) { return scalars }
        var decomposed: [Unicode.Scalar] = []
        decomposed.reserveCapacity(scalars.count + 8)
        var run = String()
        func flush() {
            if run.isEmpty { return }
            decomposed.append(contentsOf: run.decomposedStringWithCanonicalMapping.unicodeScalars)
            run = String()
        }
        for scalar in scalars {
            if scalar.isASCII || scalar.isAssignedInBertUnicodeVersion {
                run.unicodeScalars.append(scalar)
            } else {
                flush()
                decomposed.append(scalar)
            }
        }
        flush()
        return decomposed
    }
}
