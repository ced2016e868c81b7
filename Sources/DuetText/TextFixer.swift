import Foundation

/// The deterministic part of ftfy 6.3.1's `fix_text` with its default configuration, as open_clip's
/// `basic_clean` calls it (ftfy `__init__.py` `fix_text` / `fix_and_explain`, `fixes.py`, `chardata.py`).
///
/// The text is fixed one line at a time (segments end after each `\n`). Each segment goes through these
/// steps, repeated until the text stops changing, in ftfy's order:
/// 1. `unescape_html` ("auto"): `&#?[0-9A-Za-z]{1,24};` references (``HTMLUnescaper/unescapeTerminated(_:)``),
///    switched off for this and every later segment once a segment contains `<`;
/// 2. `fix_c1_controls`: U+0080…U+009F become their Windows-1252 characters (U+0085 → `…`);
/// 3. `fix_latin_ligatures`: ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ, Ĳ ĳ, ŉ and the Serbo-Croatian digraphs Ǳ…ǌ split into letters;
/// 4. `fix_character_width`: U+3000 → space, U+FF01…U+FFEF → their NFKC form (full-width ASCII, half-width kana);
/// 5. `uncurl_quotes`: U+02BC and U+2018…U+201B → `'`, U+201C…U+201F → `"`;
/// 6. `fix_line_breaks`: CRLF, CR, U+2028, U+2029 and U+0085 → `\n`;
/// 7. `remove_terminal_escapes`: ANSI sequences `ESC [ (digit|;)* letter`;
/// 8. `remove_control_chars`: U+0000…U+0008, U+000B, U+000E…U+001F, U+007F, U+206A…U+206F, U+FEFF,
///    U+FFF9…U+FFFC removed;
/// 9. NFC normalisation (Foundation's, which may be a newer Unicode version than Python 3.11's 14.0).
///
/// Not implemented: `fix_encoding` (mojibake repair: re-decoding text that was decoded in the wrong
/// encoding, with its sub-fixes `restore_byte_a0`, `replace_lossy_sequences` and `decode_inconsistent_utf8`),
/// which is heuristic; text it would change (for example `sÃ³`) keeps its mojibake here. `fix_surrogates`
/// has nothing to do: a Swift string cannot hold a lone surrogate. The parity fixture leaves out the
/// strings that mojibake repair changes (`ClipTokenizerTests`).
public struct TextFixer: Sendable {
    public init() {}

    static let ligatures: [Unicode.Scalar: String] = [
        "\u{0132}": "IJ", "\u{0133}": "ij", "\u{0149}": "\u{02BC}n", "\u{01F1}": "DZ", "\u{01F2}": "Dz", "\u{01F3}": "dz",
        "\u{01C4}": "D\u{017D}", "\u{01C5}": "D\u{017E}", "\u{01C6}": "d\u{017E}", "\u{01C7}": "LJ", "\u{01C8}": "Lj",
        "\u{01C9}": "lj", "\u{01CA}": "NJ", "\u{01CB}": "Nj", "\u{01CC}": "nj", "\u{FB00}": "ff", "\u{FB01}": "fi",
        "\u{FB02}": "fl", "\u{FB03}": "ffi", "\u{FB04}": "ffl", "\u{FB05}": "\u{017F}t", "\u{FB06}": "st",
    ]

    /// ftfy's width map: U+3000 → space, and every U+FF01…U+FFEF whose NFKC form differs.
    static let widths: [UInt32: [Unicode.Scalar]] = {
        var map: [UInt32: [Unicode.Scalar]] = [0x3000: [" "]]
        for value in UInt32(0xFF01)..<0xFFF0 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let folded = String(scalar).precomposedStringWithCompatibilityMapping
            if folded.unicodeScalars.count != 1 || folded.unicodeScalars.first != scalar { map[value] = Array(folded.unicodeScalars) }
        }
        return map
    }()

    static func isRemovedControl(_ value: UInt32) -> Bool {
        value <= 0x08 || value == 0x0B || (0x0E...0x1F).contains(value) || value == 0x7F || (0x206A...0x206F).contains(value)
            || value == 0xFEFF || (0xFFF9...0xFFFC).contains(value)
    }

    /// The fixed text.
    public func fix(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var output: [Unicode.Scalar] = []
        output.reserveCapacity(text.count)
        var unescapesHTML = true
        var start = 0
        while start < text.count {
            var end = start
            while end < text.count, text[end] != "\n" { end += 1 }
            if end < text.count { end += 1 }
            var segment = Array(text[start..<end])
            if unescapesHTML, segment.contains("<") { unescapesHTML = false }
            while true {
                let original = segment
                segment = fixOnce(segment, unescapesHTML: unescapesHTML)
                if segment == original { break }
            }
            output.append(contentsOf: segment)
            start = end
        }
        return output
    }

    /// One pass of ftfy's steps over a segment.
    func fixOnce(_ text: [Unicode.Scalar], unescapesHTML: Bool) -> [Unicode.Scalar] {
        var text = unescapesHTML ? HTMLUnescaper.unescapeTerminated(text) : text
        text = text.map { Windows1252.controlRange.contains($0.value) ? Windows1252.character(for: $0.value) : $0 }
        text = text.flatMap { Self.ligatures[$0].map { Array($0.unicodeScalars) } ?? [$0] }
        text = text.flatMap { Self.widths[$0.value] ?? [$0] }
        text = text.map { scalar in
            switch scalar.value {
            case 0x02BC, 0x2018...0x201B: "'"
            case 0x201C...0x201F: "\""
            default: scalar
            }
        }
        var lines: [Unicode.Scalar] = []
        lines.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            switch text[index] {
            case "\r":
                lines.append("\n")
                if index + 1 < text.count, text[index + 1] == "\n" { index += 1 }
            case "\u{2028}", "\u{2029}", "\u{0085}": lines.append("\n")
            default: lines.append(text[index])
            }
            index += 1
        }
        text = Self.removingTerminalEscapes(lines).filter { !Self.isRemovedControl($0.value) }
        let composed = String(String.UnicodeScalarView(text)).precomposedStringWithCanonicalMapping
        return Array(composed.unicodeScalars)
    }

    /// Removes `ESC [ (\d|;)* [a-zA-Z]`, where `\d` is any decimal digit (Python `re` on `str`).
    static func removingTerminalEscapes(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard text.contains("\u{1B}") else { return text }
        var output: [Unicode.Scalar] = []
        var index = 0
        while index < text.count {
            if text[index] == "\u{1B}", index + 1 < text.count, text[index + 1] == "[" {
                var end = index + 2
                while end < text.count, text[end] == ";" || text[end].properties.generalCategory == .decimalNumber { end += 1 }
                if end < text.count, text[end].isASCII, text[end].properties.isAlphabetic {
                    index = end + 1
                    continue
                }
            }
            output.append(text[index])
            index += 1
        }
        return output
    }
}
