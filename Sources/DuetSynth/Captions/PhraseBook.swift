/// The words of one held-out caption, already in the caption's language.
public struct CaptionWords: Sendable {
    public var genre: String
    public var mood: String
    /// The lead instrument.
    public var lead: String
    /// The lead instrument, and a second one when the clip has one, joined by the language's "and".
    public var instruments: String
    public var tempo: String
}

/// How one language names the corpus's tags in a held-out caption, and the sentence frames that
/// put them together.
///
/// Each language's forms are chosen for its frames, so that no frame needs agreement it cannot
/// make: German frames use genres in the nominative or accusative, instruments as bare
/// nominatives and moods predicatively (uninflected); the Romance frames pair moods only with a
/// feminine noun (`ambiance`, `pieza`, `atmosfera`, `faixa`), so moods are stored feminine, and
/// use genres after a fixed "piece of" noun. A frame names at least two true attributes.
public struct PhraseBook: Sendable {
    public var language: CaptionLanguage
    /// The genre in the form the frames expect (see each book).
    public var genre: @Sendable (Genre) -> String
    public var mood: @Sendable (Mood) -> String
    public var instrument: @Sendable (Instrument) -> String
    public var tempo: @Sendable (TempoFeel) -> String
    /// "In three-four time", offered besides the tempo for clips in 3/4.
    public var inThree: String
    /// The conjunction between two instruments.
    public var and: String
    public var frames: [@Sendable (CaptionWords) -> String]

    /// The instrument list of a caption: "piano", or "piano and bass" in the language.
    func instruments(lead: Instrument, second: Instrument?) -> String {
        guard let second else { return instrument(lead) }
        return "\(instrument(lead)) \(and) \(instrument(second))"
    }
}

extension String {
    /// The string with its first letter upper-cased (sentence start).
    var sentenceCased: String {
        guard let first else { return self }
        return first.uppercased() + dropFirst()
    }
}
