/// An instrument tag of the synthetic corpus; the raw value is the canonical tag string.
///
/// Every instrument maps to General MIDI programs (`Instrument+Programs.swift`); together they
/// cover every GM program family (piano, chromatic percussion, organ, guitar, bass, strings,
/// ensemble, brass, reed, pipe, synth lead, synth pad, synth effects, ethnic, percussive, sound
/// effects). `drums` (acoustic kits) and `drum machine` (electronic and TR-808 kits) play on the
/// percussion channel (MIDI channel 10); a clip has at most one of them.
public enum Instrument: String, CaseIterable, Sendable, Codable, Comparable {
    case drums, bass, piano, organ
    case acousticGuitar = "acoustic guitar"
    case electricGuitar = "electric guitar"
    case distortedGuitar = "distorted guitar"
    case strings, violin, cello, flute, clarinet, saxophone, trumpet
    case synthLead = "synth lead"
    case synthPad = "synth pad"
    case choir, harp, vibraphone
    case electricPiano = "electric piano"
    case drumMachine = "drum machine"
    case harpsichord, clavinet, celesta, glockenspiel
    case musicBox = "music box"
    case marimba, xylophone
    case tubularBells = "tubular bells"
    case accordion, harmonica, viola
    case pizzicatoStrings = "pizzicato strings"
    case timpani
    case orchestraHit = "orchestra hit"
    case trombone, tuba
    case frenchHorn = "french horn"
    case brassSection = "brass section"
    case oboe, bassoon, piccolo, recorder
    case panFlute = "pan flute"
    case tinWhistle = "tin whistle"
    case shakuhachi
    case synthEffects = "synth effects"
    case sitar, banjo, shamisen, koto, kalimba, bagpipe
    case steelDrums = "steel drums"
    case taikoDrums = "taiko drums"
    case oceanWaves = "ocean waves"
    case birdsong

    public static func < (lhs: Instrument, rhs: Instrument) -> Bool { lhs.order < rhs.order }

    private var order: Int { Instrument.allCases.firstIndex(of: self) ?? 0 }

    /// Whether the instrument plays on the percussion channel.
    public var isPercussionKit: Bool { self == .drums || self == .drumMachine }
}
