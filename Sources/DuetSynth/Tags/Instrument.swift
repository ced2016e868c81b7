/// An instrument tag of the synthetic corpus; the raw value is the canonical tag string.
///
/// Every instrument maps to General MIDI programs (`Instrument+Programs.swift`); `drums` is the
/// percussion channel (MIDI channel 10) with one of the soundfont's drum kits.
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

    public static func < (lhs: Instrument, rhs: Instrument) -> Bool { lhs.order < rhs.order }

    private var order: Int { Instrument.allCases.firstIndex(of: self) ?? 0 }
}
