/// CLIP's pre-tokenizer (open_clip `SimpleTokenizer.pat`, compiled with `regex.IGNORECASE`):
/// `<start_of_text>|<end_of_text>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+`, matched
/// with `findall`, so white space between matches is dropped. Unlike GPT-2's pattern no space is
/// attached to a word and every digit is a word of its own. Each match is then written as its UTF-8
/// bytes in ``ByteLevelPreTokenizer/byteAlphabet`` characters.
///
/// The text arrives lower-cased (``ClipNormalizer``), where the only letter the case-insensitive
/// match still makes a difference for is `ſ` (U+017F), whose simple case folding is `s`: `'ſ` is a
/// contraction and `<ſtart_of_text>` a match of the special alternative (though not the special token).
/// Letters, numbers and white space are classified as ``ByteLevelPreTokenizer`` does.
public struct ClipPreTokenizer: PreTokenizer {
    /// The special tokens, tried first and in order.
    public let specialTokens: [String]

    public init(specialTokens: [String] = ClipTokenizer.specialTokens) {
        self.specialTokens = specialTokens
    }

    public func split(_ text: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        pieces(text).map { range in
            var mapped: [Unicode.Scalar] = []
            for scalar in text[range] {
                for byte in String(scalar).utf8 { mapped.append(ByteLevelPreTokenizer.byteAlphabet[Int(byte)]) }
            }
            return mapped
        }
    }

    /// Whether `text` holds `literal` at `index`, letters compared as `IGNORECASE` does on lower-case text.
    static func matches(_ literal: [Unicode.Scalar], in text: [Unicode.Scalar], at index: Int) -> Bool {
        guard index + literal.count <= text.count else { return false }
        for (offset, expected) in literal.enumerated() {
            let actual = text[index + offset]
            if actual != expected && !(expected == "s" && actual == "\u{017F}") { return false }
        }
        return true
    }

    static let contractions: [[Unicode.Scalar]] = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d"].map { Array($0.unicodeScalars) }

    /// The ranges of the pattern's matches, left to right.
    func pieces(_ text: [Unicode.Scalar]) -> [Range<Int>] {
        let specials = specialTokens.map { Array($0.unicodeScalars) }
        let kinds = text.map(ByteLevelPreTokenizer.kind)
        var pieces: [Range<Int>] = []
        var start = 0
        while start < text.count {
            if let literal = (specials + Self.contractions).first(where: { Self.matches($0, in: text, at: start) }) {
                pieces.append(start..<(start + literal.count))
                start += literal.count
                continue
            }
            switch kinds[start] {
            case .space:
                start += 1
            case .number:
                pieces.append(start..<(start + 1))
                start += 1
            case .letter, .other:
                var end = start + 1
                while end < text.count, kinds[end] == kinds[start] { end += 1 }
                pieces.append(start..<end)
                start = end
            }
        }
        return pieces
    }
}
