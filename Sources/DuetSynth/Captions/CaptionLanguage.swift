/// A language the held-out captions are also written in, besides English (which
/// `HumanCaptioner` writes). The raw value is the ISO 639-1 code used as the manifest key in
/// `captions_by_language`.
public enum CaptionLanguage: String, CaseIterable, Sendable {
    case german = "de"
    case french = "fr"
    case spanish = "es"
    case italian = "it"
    case portuguese = "pt"

    /// The language's phrase book.
    public var phraseBook: PhraseBook {
        switch self {
        case .german: .german
        case .french: .french
        case .spanish: .spanish
        case .italian: .italian
        case .portuguese: .portuguese
        }
    }

    /// The generator stream of the language's captions, derived from an item's caption seed, so
    /// that adding a language leaves the others (and the English captions) unchanged.
    var stream: UInt64 {
        UInt64((CaptionLanguage.allCases.firstIndex(of: self) ?? 0) + 1)
    }
}
