/// CLIP's text cleaning as open_clip 3.3.0 does it for its default tokenizer (`tokenizer.py`,
/// `_clean_lower`): `basic_clean` (``TextFixer`` for `ftfy.fix_text`, then `html.unescape` twice, then
/// `str.strip`), `whitespace_clean` (every run of white space becomes one space, ends trimmed), then
/// `str.lower`.
///
/// White space is Python's `str.isspace` (Unicode 14: bidirectional classes WS, B, S and category Zs);
/// lower-casing is Python's too: each character's full lower-case mapping, and capital sigma becomes
/// final `ς` in the Final_Sigma context (after a cased letter, not before one, case-ignorable characters
/// skipped), which Swift's `lowercased()` does not do.
public struct ClipNormalizer: TextNormalizer {
    public let fixer = TextFixer()

    public init() {}

    /// Python's `str.isspace`.
    static func isPythonSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    public func normalize(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        let cleaned = HTMLUnescaper.unescape(HTMLUnescaper.unescape(fixer.fix(text)))
        var collapsed: [Unicode.Scalar] = []
        collapsed.reserveCapacity(cleaned.count)
        for scalar in cleaned {
            if Self.isPythonSpace(scalar) {
                if let last = collapsed.last, last != " " { collapsed.append(" ") }
            } else {
                collapsed.append(scalar)
            }
        }
        if collapsed.last == " " { collapsed.removeLast() }
        return Self.lowercased(collapsed)
    }

    /// Python's `str.lower`.
    static func lowercased(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var output: [Unicode.Scalar] = []
        output.reserveCapacity(text.count)
        for (index, scalar) in text.enumerated() {
            if scalar == "\u{03A3}" {
                output.append(isFinalSigma(text, at: index) ? "\u{03C2}" : "\u{03C3}")
            } else if scalar.isASCII {
                output.append(("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 32)! : scalar)
            } else {
                output.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return output
    }

    /// Unicode's Final_Sigma condition, as CPython's `handle_capital_sigma` checks it.
    static func isFinalSigma(_ text: [Unicode.Scalar], at index: Int) -> Bool {
        var before = index - 1
        while before >= 0, text[before].properties.isCaseIgnorable { before -= 1 }
        guard before >= 0, text[before].properties.isCased else { return false }
        var after = index + 1
        while after < text.count, text[after].properties.isCaseIgnorable { after += 1 }
        return after == text.count || !text[after].properties.isCased
    }
}
