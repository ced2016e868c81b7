/// Cuts special tokens (`[CLS]`, `[MASK]`, ...) out of raw text before normalisation, as Hugging
/// Face `tokenizers` does for added tokens marked `"normalized": false`: an exact, case-sensitive
/// match on the original text, leftmost first and longest at a position, so `"a[MASK]b"` gives the
/// text `a`, the token `[MASK]` and the text `b`.
public struct SpecialTokenSplitter: Sendable {
    /// A piece of the input: text for the rest of the pipeline, or a special token kept whole.
    public enum Segment: Equatable, Sendable {
        case text([Unicode.Scalar])
        case token(identifier: Int32, content: String)
    }

    struct Entry: Sendable {
        let scalars: [Unicode.Scalar]
        let identifier: Int32
        let content: String
    }

    let entries: [Entry]

    /// - Parameter tokens: the special tokens and their ids; empty contents are ignored.
    public init(tokens: [(content: String, identifier: Int32)]) {
        entries = tokens.filter { !$0.content.isEmpty }
            .map { Entry(scalars: Array($0.content.unicodeScalars), identifier: $0.identifier, content: $0.content) }
            .sorted { $0.scalars.count > $1.scalars.count }
    }

    /// Splits `text` into segments; text segments are never empty.
    public func split(_ text: [Unicode.Scalar]) -> [Segment] {
        guard !entries.isEmpty, text.contains(where: { scalar in entries.contains { $0.scalars[0] == scalar } }) else {
            return text.isEmpty ? [] : [.text(text)]
        }
        var segments: [Segment] = []
        var textStart = 0
        var position = 0
        while position < text.count {
            // Entries are sorted longest first, so the first match at a position is the longest.
            let match = entries.first { entry in
                entry.scalars.count <= text.count - position
                    && text[position..<(position + entry.scalars.count)].elementsEqual(entry.scalars)
            }
            if let match {
                if textStart < position { segments.append(.text(Array(text[textStart..<position]))) }
                segments.append(.token(identifier: match.identifier, content: match.content))
                position += match.scalars.count
                textStart = position
            } else {
                position += 1
            }
        }
        if textStart < text.count { segments.append(.text(Array(text[textStart...]))) }
        return segments
    }
}
