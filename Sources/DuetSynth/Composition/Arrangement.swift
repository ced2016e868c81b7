/// A composed clip: the musical facts behind its tags plus every note to render.
///
/// The composer (`Composer`) builds it from `ClipTags` and a seed; the renderer
/// (`FluidRenderer`) only reads `tracks` and `duration`. Tests compare the tags with these facts.
public struct Arrangement: Sendable, Equatable, Codable {
    public var tags: ClipTags
    /// Quarter-note beats per minute.
    public var tempo: Double
    /// Beats per bar (4 or 3).
    public var beatsPerBar: Int
    /// Tonic pitch class, 0 = C.
    public var tonic: Int
    public var mode: Mode
    /// Position of the off-beat eighth (or sixteenth) inside its beat (half-beat): 0.5 straight, 0.67 triplet swing.
    public var swing: Double
    /// Intended loudness, 0 (very soft) ... 1 (loud); the renderer keeps these differences.
    public var dynamics: Double
    /// Clip length in seconds.
    public var duration: Double
    public var progression: Progression
    public var tracks: [Track]

    public init(
        tags: ClipTags, tempo: Double, beatsPerBar: Int, tonic: Int, mode: Mode, swing: Double, dynamics: Double,
        duration: Double, progression: Progression, tracks: [Track]
    ) {
        self.tags = tags
        self.tempo = tempo
        self.beatsPerBar = beatsPerBar
        self.tonic = tonic
        self.mode = mode
        self.swing = swing
        self.dynamics = dynamics
        self.duration = duration
        self.progression = progression
        self.tracks = tracks
    }

    /// The instruments that have audible notes, i.e. the instrument tags the clip deserves.
    public var soundingInstruments: Set<Instrument> {
        Set(tracks.filter { track in track.volume >= 40 && track.notes.contains { $0.velocity >= 20 } }.map(\.instrument))
    }
}
