/// Idiomatic drum grooves (see `Composer+Drums.swift`).
public enum DrumStyle: String, Sendable, Codable {
    case rockBeat, metalDoubleKick, popBeat, funkSixteenths, jazzRide, bluesShuffle, fourOnTheFloor
    case boomBap, oneDrop, latinClave, trainBeat, folkTambourine, ambientPulse
    case punkBeat, discoBeat, breakbeat, trapHats, halfTime, marchSnare, polkaBeat, bossaNova, afrobeat, skaBeat
    case handDrums, clapping
}

/// Idiomatic bass lines (see `Composer+Bass.swift`).
public enum BassStyle: String, Sendable, Codable {
    case rootEighths, rootFifth, walking, funkSlap, octaveOffbeat, subBass, reggaeDrop, tumbao, boogie, sustained
}

/// Idiomatic accompaniment figures (see `Composer+Comping.swift`).
public enum CompStyle: String, Sendable, Codable {
    case strum, powerChords, blockChords, jazzComp, funkChops, skank, arpeggio, montuno, stabs, alberti, sustained
}

/// What makes a genre recognisable: tempo range, feel, meter, mode, groove, bass, comping,
/// harmony and instrumentation, and the moods and partner genres it co-occurs with.
public struct GenreStyle: Sendable {
    /// Tempo range in quarter-note beats per minute; every clip of the genre lies inside it.
    public var tempoRange: ClosedRange<Double>
    /// Position of the off-beat inside its half (0.5 straight, 0.58-0.67 swung).
    public var swing: ClosedRange<Double>
    /// Whether the swing applies to sixteenths (hip hop, funk) rather than eighths.
    public var swingsSixteenths: Bool
    /// Probability of 3/4 instead of 4/4.
    public var waltzProbability: Double
    /// Probability of major mode when no mood fixes it.
    public var majorProbability: Double
    public var drumStyle: DrumStyle?
    public var drumProbability: Double
    /// Bank-128 drum kit programs that fit the genre.
    public var drumKits: [Int]
    public var bassStyle: BassStyle
    public var bassProbability: Double
    public var compStyle: CompStyle
    public var majorProgressions: [String]
    public var minorProgressions: [String]
    /// Relative weights of the pitched instruments other than bass.
    public var instrumentWeights: [Instrument: Double]
    /// Instruments a clip of this genre always has (if it is the primary genre).
    public var signatureInstruments: [Instrument]
    public var moodWeights: [Mood: Double]
    /// Second genres a catalogue pairs with this one, with weights.
    public var partners: [Genre: Double]
    /// Whether timing and velocity get small human deviations (off for programmed electronic styles).
    public var humanized: Bool
}
