/// The byte-level pre-tokenizer of GPT-2 and RoBERTa (`tokenizers`' `ByteLevel` with its regex, no prefix
/// space): splits text as GPT-2's pattern
/// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+` does, then writes each
/// piece's UTF-8 bytes as the printable stand-in characters of ``byteAlphabet`` that the BPE vocabulary
/// is made of. The pattern is matched by hand, alternative by alternative, on Unicode scalars:
/// `\p{L}` and `\p{N}` are the general categories L* and N*, `\s` the White_Space property.
public struct ByteLevelPreTokenizer: PreTokenizer {
    public init() {}

    /// GPT-2's byte → character table: the printable Latin-1 bytes (`!`…`~`, `¡`…`¬`, `®`…`ÿ`) stand for
    /// themselves; the other 68 bytes (controls, space, `­`) get U+0100 onwards, in byte order.
    public static let byteAlphabet: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            let printable = (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte)
            if printable {
                table[byte] = Unicode.Scalar(UInt32(byte))!
            } else {
                table[byte] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    public func split(_ text: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        Self.pieces(text).map { range in
            var mapped: [Unicode.Scalar] = []
            for scalar in text[range] {
                for byte in String(scalar).utf8 { mapped.append(Self.byteAlphabet[Int(byte)]) }
            }
            return mapped
        }
    }

    enum Kind: Equatable { case letter, number, space, other }

    static func kind(_ scalar: Unicode.Scalar) -> Kind {
        let properties = scalar.properties
        if properties.isWhitespace { return .space }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return .letter
        case .decimalNumber, .letterNumber, .otherNumber: return .number
        default: return .other
        }
    }

    static let contractions: [[Unicode.Scalar]] = ["s", "t", "re", "ve", "m", "ll", "d"].map { Array($0.unicodeScalars) }

    /// The ranges of the pattern's matches, left to right; together they cover the whole text.
    static func pieces(_ text: [Unicode.Scalar]) -> [Range<Int>] {
        let kinds = text.map(kind)
        var pieces: [Range<Int>] = []
        var start = 0
        func runEnd(from index: Int, of kind: Kind) -> Int {
            var end = index
            while end < text.count && kinds[end] == kind { end += 1 }
            return end
        }
        while start < text.count {
            // 's 't 're 've 'm 'll 'd (lower case only, as in GPT-2).
            if text[start] == "'", let suffix = contractions.first(where: { text.hasScalars($0, at: start + 1) }) {
                pieces.append(start..<(start + 1 + suffix.count))
                start += 1 + suffix.count
                continue
            }
            // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`: an optional U+0020 before a run of one kind.
            let body = text[start] == " " && start + 1 < text.count && kinds[start + 1] != .space ? start + 1 : start
            if kinds[body] != .space {
                let end = runEnd(from: body, of: kinds[body])
                pieces.append(start..<end)
                start = end
                continue
            }
            // `\s+(?!\S)` keeps the last white space before a non-space for the next piece; `\s+` takes a
            // lone white space before a non-space.
            let end = runEnd(from: start, of: .space)
            let stop = end < text.count && end - start > 1 ? end - 1 : end
            pieces.append(start..<stop)
            start = stop
        }
        return pieces
    }
}

extension [Unicode.Scalar] {
    /// Whether `scalars` occur in this array starting at `index`.
    func hasScalars(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        index + scalars.count <= count && zip(self[index...], scalars).allSatisfy { $0 == $1 }
    }
}
