/// Decodes HTML character references, in the two ways CLIP's text cleaning applies them.
///
/// - ``unescape(_:)`` is Python's `html.unescape` (3.11, `Lib/html/__init__.py`): the pattern
///   `&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)`, numeric references through the
///   HTML5 rules (0 → U+FFFD, 0x80…0x9F as Windows-1252, surrogates and values above U+10FFFF →
///   U+FFFD, other non-characters and controls removed), named ones exact or else by their longest
///   known prefix (`&notit;` → `¬it;`), as browsers read legacy names without `;`.
/// - ``unescapeTerminated(_:)`` is ftfy 6.3.1's `unescape_html`: only `&#?[0-9A-Za-z]{1,24};`, with
///   HTML5 names ending in `;` or ftfy's upper-cased ones (`&EACUTE;` → `É`), and numeric references only
///   when `html.unescape` consumes the `;`.
///
/// The names come from ``HTMLEntityTable`` (generated from Python's `html.entities.html5`).
enum HTMLUnescaper {
    private static func parse(_ table: String) -> [[Unicode.Scalar]: [Unicode.Scalar]] {
        var result: [[Unicode.Scalar]: [Unicode.Scalar]] = [:]
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            let value = fields.dropFirst().map { Unicode.Scalar(UInt32($0, radix: 16)!)! }
            result[Array(fields[0].unicodeScalars)] = value
        }
        return result
    }

    /// Names (without `&`) → characters.
    static let html5 = parse(HTMLEntityTable.html5)
    /// ftfy's table: HTML5 names that end in `;`, and its upper-cased extras.
    static let terminated: [[Unicode.Scalar]: [Unicode.Scalar]] = html5.filter { $0.key.last == ";" }
        .merging(parse(HTMLEntityTable.ftfyUppercase)) { first, _ in first }

    /// Code points a numeric reference removes (Python's `html._invalid_codepoints`).
    static func isInvalidCodePoint(_ value: UInt64) -> Bool {
        (0x1...0x8).contains(value) || value == 0xB || (0xE...0x1F).contains(value) || (0x7F...0x9F).contains(value)
            || (0xFDD0...0xFDEF).contains(value) || (value & 0xFFFE == 0xFFFE && value <= 0x10FFFF)
    }

    /// The characters of a numeric reference's value, as `html.unescape` gives them.
    static func numericReference(_ value: UInt64?) -> [Unicode.Scalar] {
        guard let value, value <= 0x10FFFF else { return ["\u{FFFD}"] }
        if value == 0 { return ["\u{FFFD}"] }
        if value == 0x0D { return ["\r"] }
        if Windows1252.controlRange.contains(UInt32(value)) { return [Windows1252.character(for: UInt32(value))] }
        if (0xD800...0xDFFF).contains(value) { return ["\u{FFFD}"] }
        if isInvalidCodePoint(value) { return [] }
        return [Unicode.Scalar(UInt32(value))!]
    }

    /// Python's `html.unescape`.
    static func unescape(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard text.contains("&") else { return text }
        var output: [Unicode.Scalar] = []
        output.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            guard text[index] == "&", index + 1 < text.count else {
                output.append(text[index])
                index += 1
                continue
            }
            if let (characters, end) = reference(in: text, at: index + 1) {
                output.append(contentsOf: characters)
                index = end
            } else {
                output.append("&")
                index += 1
            }
        }
        return output
    }

    /// The reference whose text starts at `start` (just after `&`): its characters and where it ends,
    /// or nil when the pattern does not match there.
    private static func reference(in text: [Unicode.Scalar], at start: Int) -> ([Unicode.Scalar], Int)? {
        func digitValue(_ scalar: Unicode.Scalar, radix: UInt64) -> UInt64? {
            guard scalar.isASCII, let digit = UInt64(String(scalar), radix: Int(radix)) else { return nil }
            return digit
        }
        if text[start] == "#" {
            var position = start + 1
            var radix: UInt64 = 10
            if position < text.count, text[position] == "x" || text[position] == "X",
               position + 1 < text.count, digitValue(text[position + 1], radix: 16) != nil {
                radix = 16
                position += 1
            }
            var value: UInt64? = 0
            let digitsStart = position
            while position < text.count, let digit = digitValue(text[position], radix: radix) {
                // Python's integers do not overflow; anything this large is above U+10FFFF anyway.
                if let current = value { value = current > 0xFFFF_FFFF ? nil : current * radix + digit }
                position += 1
            }
            if position == digitsStart { return nil }
            if position < text.count, text[position] == ";" { position += 1 }
            return (numericReference(value), position)
        }
        var end = start
        while end < text.count, end - start < 32, !["\t", "\n", "\u{0C}", " ", "<", "&", "#", ";"].contains(text[end]) { end += 1 }
        if end == start { return nil }
        if end < text.count, text[end] == ";" { end += 1 }
        let name = Array(text[start..<end])
        if let value = html5[name] { return (value, end) }
        var length = name.count - 1
        while length > 1 {
            if let value = html5[Array(name[0..<length])] { return (value + name[length...], end) }
            length -= 1
        }
        return (["&"] + name, end)
    }

    /// ftfy's `unescape_html`.
    static func unescapeTerminated(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard text.contains("&") else { return text }
        var output: [Unicode.Scalar] = []
        output.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            if text[index] == "&" {
                var bodyStart = index + 1
                if bodyStart < text.count, text[bodyStart] == "#" { bodyStart += 1 }
                var end = bodyStart
                while end < text.count, end - bodyStart < 25, text[end].isASCII,
                      text[end].properties.isASCIIHexDigit || ("g"..."z").contains(text[end]) || ("G"..."Z").contains(text[end]) {
                    end += 1
                }
                let length = end - bodyStart
                if (1...24).contains(length), end < text.count, text[end] == ";" {
                    let match = Array(text[index...end])
                    if let value = terminated[Array(match.dropFirst())] {
                        output.append(contentsOf: value)
                    } else if match.count > 1, match[1] == "#" {
                        let decoded = unescape(match)
                        output.append(contentsOf: decoded.contains(";") ? match : decoded)
                    } else {
                        output.append(contentsOf: match)
                    }
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
