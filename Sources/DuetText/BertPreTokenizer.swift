/// The BERT pre-tokenizer, matching Hugging Face `tokenizers`' `BertPreTokenizer`: split on
/// whitespace (dropped) and isolate every punctuation scalar (``Unicode/Scalar/isBertPunctuation``)
/// as a word of its own, so `"rock!!"` gives `["rock", "!", "!"]`.
public struct BertPreTokenizer: PreTokenizer {
    public init() {}

    public func split(_ text: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var words: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for scalar in text {
            if scalar.isBertWhitespace {
                if !current.isEmpty { words.append(current); current.removeAll(keepingCapacity: true) }
            } else if scalar.isBertPunctuation {
                if !current.isEmpty { words.append(current); current.removeAll(keepingCapacity: true) }
                words.append([scalar])
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}
