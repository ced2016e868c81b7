/// SentencePiece's normaliser as a `.model` file configures it (sentencepiece `normalizer.cc`,
/// `Normalizer::Normalize`), for T5 and mT5: at each position the longest rule of the
/// ``PrecompiledCharsMap`` replaces the bytes it matches (else one character is copied); with
/// `remove_extra_whitespaces` the leading replacements that are exactly one space are dropped, a
/// replacement's leading spaces are dropped after one that ended in a space, and trailing spaces (as
/// `▁`) are removed; `add_dummy_prefix` puts one `▁` in front (behind with `treat_whitespace_as_suffix`),
/// and `escape_whitespaces` writes every space as `▁` (U+2581). Text that is empty or only white space
/// normalises to nothing, without the dummy prefix.
///
/// This is the whole SentencePiece pre-processing: the result is one "word" for ``UnigramModel``. User-
/// defined symbols (kept whole before the rules) are not supported; ``T5Tokenizer`` rejects models that
/// have them.
public struct SentencePieceModelNormalizer: TextNormalizer {
    public let charsMap: PrecompiledCharsMap?
    public let addsDummyPrefix: Bool
    public let removesExtraWhitespaces: Bool
    public let escapesWhitespaces: Bool
    public let treatsWhitespaceAsSuffix: Bool

    public init(
        charsMap: PrecompiledCharsMap?, addsDummyPrefix: Bool = true, removesExtraWhitespaces: Bool = true,
        escapesWhitespaces: Bool = true, treatsWhitespaceAsSuffix: Bool = false
    ) {
        self.charsMap = charsMap
        self.addsDummyPrefix = addsDummyPrefix
        self.removesExtraWhitespaces = removesExtraWhitespaces
        self.escapesWhitespaces = escapesWhitespaces
        self.treatsWhitespaceAsSuffix = treatsWhitespaceAsSuffix
    }

    static let space = UInt8(ascii: " ")
    static let metaspace = Array("\u{2581}".utf8)

    /// The replacement of the prefix of `bytes[start...]` and how many bytes it consumes.
    func prefix(_ bytes: [UInt8], from start: Int) -> (ArraySlice<UInt8>, Int) {
        if let match = charsMap?.longestMatch(bytes, from: start) { return match }
        // One UTF-8 character; the input comes from a Swift string, so it is valid.
        let lead = bytes[start]
        let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        return (bytes[start..<min(bytes.count, start + length)], length)
    }

    /// The normalised UTF-8 bytes of `bytes`.
    public func normalize(bytes: [UInt8]) -> [UInt8] {
        var input = 0
        if removesExtraWhitespaces {
            while input < bytes.count {
                let (replacement, length) = prefix(bytes, from: input)
                guard replacement.elementsEqual([Self.space]) else { break }
                input += length
            }
        }
        if input == bytes.count { return [] }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 3)
        func addSpace() { output.append(contentsOf: escapesWhitespaces ? Self.metaspace : [Self.space]) }
        if !treatsWhitespaceAsSuffix && addsDummyPrefix { addSpace() }
        var previousIsSpace = removesExtraWhitespaces
        while input < bytes.count {
            var (replacement, length) = prefix(bytes, from: input)
            while previousIsSpace, replacement.first == Self.space { replacement = replacement.dropFirst() }
            if !replacement.isEmpty {
                for byte in replacement {
                    if escapesWhitespaces && byte == Self.space { output.append(contentsOf: Self.metaspace) } else { output.append(byte) }
                }
                previousIsSpace = replacement.last == Self.space
            }
            input += length
            if !removesExtraWhitespaces { previousIsSpace = false }
        }
        if removesExtraWhitespaces {
            let space = escapesWhitespaces ? Self.metaspace : [Self.space]
            while output.count >= space.count, output.suffix(space.count).elementsEqual(space) { output.removeLast(space.count) }
        }
        if treatsWhitespaceAsSuffix && addsDummyPrefix { addSpace() }
        return output
    }

    public func normalize(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        let bytes = normalize(bytes: Array(String(String.UnicodeScalarView(text)).utf8))
        return Array(String(decoding: bytes, as: UTF8.self).unicodeScalars)
    }
}
