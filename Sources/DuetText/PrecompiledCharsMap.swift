/// SentencePiece's precompiled character map (`NormalizerSpec.precompiled_charsmap`): the normalisation
/// rules of a named rule set such as `nmt_nfkc` (NFKC plus SentencePiece's extras: control characters
/// removed, Unicode spaces to U+0020, …) compiled into a Darts-clone double-array trie over UTF-8 bytes.
///
/// Layout (sentencepiece `normalizer.cc`, `DecodePrecompiledCharsMap`): a little-endian UInt32 byte size of
/// the trie, the trie's 32-bit units, then the replacement strings, each ending in a NUL; a key's value is
/// the offset of its replacement. A unit (darts-clone `DoubleArrayUnit`) holds a has-leaf bit (8), a label
/// (bits 0–7 and 31), and an offset (bits 10–31, shifted left by 8 more when bit 9 is set); a leaf unit's
/// value is its low 31 bits.
public struct PrecompiledCharsMap: Sendable {
    private let units: [UInt32]
    private let replacements: [UInt8]

    /// - Throws: `TokenizerError.malformedFile` (naming `path`) when the blob's sizes do not fit.
    public init(blob: [UInt8], path: String) throws(TokenizerError) {
        guard blob.count > 4 else { throw .malformedFile(path: path, reason: "the precompiled charsmap has \(blob.count) bytes, too few for its header") }
        let trieSize = Int(blob[0]) | Int(blob[1]) << 8 | Int(blob[2]) << 16 | Int(blob[3]) << 24
        guard trieSize % 4 == 0, trieSize < blob.count - 4, trieSize > 0 else {
            throw .malformedFile(path: path, reason: "the precompiled charsmap's trie size \(trieSize) does not fit its \(blob.count) bytes")
        }
        units = stride(from: 4, to: 4 + trieSize, by: 4).map { offset in
            UInt32(blob[offset]) | UInt32(blob[offset + 1]) << 8 | UInt32(blob[offset + 2]) << 16 | UInt32(blob[offset + 3]) << 24
        }
        replacements = Array(blob[(4 + trieSize)...])
    }

    /// The longest rule matching a prefix of `bytes[start...]`: its replacement and the bytes it consumes,
    /// or nil when no rule matches.
    public func longestMatch(_ bytes: [UInt8], from start: Int) -> (replacement: ArraySlice<UInt8>, length: Int)? {
        func offset(_ unit: UInt32) -> Int { Int((unit >> 10) << ((unit & (1 << 9)) >> 6)) }
        var best: (value: Int, length: Int)?
        var node = offset(units[0])
        var position = start
        while position < bytes.count {
            let label = bytes[position]
            node ^= Int(label)
            guard node < units.count else { break }
            let unit = units[node]
            guard unit & ((1 << 31) | 0xFF) == UInt32(label) else { break }
            node ^= offset(unit)
            guard node < units.count else { break }
            position += 1
            if (unit >> 8) & 1 == 1 { best = (Int(units[node] & ((1 << 31) - 1)), position - start) }
        }
        guard let best, best.value < replacements.count else { return nil }
        var end = best.value
        while end < replacements.count, replacements[end] != 0 { end += 1 }
        return (replacements[best.value..<end], best.length)
    }
}
