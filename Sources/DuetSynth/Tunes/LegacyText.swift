/// Repairs text that was converted from DOS code page 437 to UTF-8 as if it were Latin-1, as the
/// Essen files' titles were: "Wsserlein flieáen" holds U+0084 for "ä" and U+00E1 for "ß".
///
/// The C1 control characters U+0080...U+009F never occur in real text, so their presence marks
/// such a file; then every character U+0080...U+00FF is read as the code page 437 byte of that
/// value. Text without C1 controls is returned unchanged.
enum LegacyText {
    /// The upper half of code page 437 (bytes 0x80...0xFF).
    static let codePage437: [Character] = Array(
        "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{00A0}")

    static func repaired(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { (0x80...0x9F).contains($0.value) }) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if (0x80...0xFF).contains(scalar.value) {
                result.append(contentsOf: String(codePage437[Int(scalar.value) - 0x80]).unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }
}
