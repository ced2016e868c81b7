extension Instrument {
    /// The instrument tag of any General MIDI program: the exact voice when the corpus uses it
    /// (`forProgram`), otherwise the nearest tag of its GM family (honky-tonk piano → piano,
    /// muted trumpet → trumpet, synth brass → brass section, sound effects → synth effects).
    /// Used to tag human-written MIDI files from their program changes.
    public static func nearest(program: Int, percussion: Bool) -> Instrument {
        if let exact = forProgram(program, percussion: percussion) { return exact }
        switch program {
        case 0...7: return .piano
        case 8...15: return .vibraphone
        case 16...23: return .organ
        case 24...31: return .electricGuitar
        case 32...39: return .bass
        case 43: return .bass
        case 40...47: return .strings
        case 50, 51: return .synthPad
        case 54: return .choir
        case 48...55: return .strings
        case 62, 63: return .brassSection
        case 56...63: return .trumpet
        case 69, 111: return .oboe
        case 64...71: return .saxophone
        case 72...79: return .flute
        case 80...87: return .synthLead
        case 88...95: return .synthPad
        case 96...103: return .synthEffects
        case 104...111: return .sitar
        case 112: return .glockenspiel
        case 118: return .drumMachine
        case 112...119: return .drums
        default: return .synthEffects
        }
    }
}
