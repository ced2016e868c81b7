extension Instrument {
    /// The General MIDI programs (0-based) that may voice this instrument in `genre`, first the most idiomatic.
    /// Every program listed is a melodic preset of FluidR3 GM in bank 0. Drums are not a program.
    public func programs(in genre: Genre) -> [Int] {
        switch self {
        case .drums: []
        case .bass:
            switch genre {
            case .jazz, .blues, .folk, .latin, .country, .classical: [32, 33]
            case .funk: [36, 33, 37]
            case .electronic: [38, 39]
            case .hipHop: [38, 33, 32]
            case .metal, .rock: [34, 33]
            case .reggae: [33, 34]
            case .pop: [33, 38, 34]
            case .ambient: [38, 32]
            }
        case .piano: [0, 1]
        case .electricPiano: [4, 5]
        case .organ:
            switch genre {
            case .classical, .ambient, .metal: [19]
            case .rock: [18, 16]
            default: [16, 17]
            }
        case .acousticGuitar: genre == .classical || genre == .latin ? [24] : [25, 24]
        case .electricGuitar:
            switch genre {
            case .jazz: [26]
            case .funk, .reggae: [28, 27]
            default: [27, 26]
            }
        case .distortedGuitar: [30, 29]
        case .strings: [48, 49]
        case .violin: [40]
        case .cello: [42]
        case .flute: [73]
        case .clarinet: [71]
        case .saxophone: genre == .jazz || genre == .blues ? [66, 65] : [65, 66]
        case .trumpet: [56]
        case .synthLead: [80, 81]
        case .synthPad: [89, 88, 90]
        case .choir: [52, 53]
        case .harp: [46]
        case .vibraphone: [11]
        }
    }

    /// The instrument a GM program voices, used by tests to check tags against rendered programs.
    public static func forProgram(_ program: Int, percussion: Bool) -> Instrument? {
        if percussion { return .drums }
        switch program {
        case 0, 1: return .piano
        case 4, 5: return .electricPiano
        case 11: return .vibraphone
        case 16, 17, 18, 19: return .organ
        case 24, 25: return .acousticGuitar
        case 26, 27, 28: return .electricGuitar
        case 29, 30: return .distortedGuitar
        case 32, 33, 34, 36, 37, 38, 39: return .bass
        case 40: return .violin
        case 42: return .cello
        case 46: return .harp
        case 48, 49: return .strings
        case 52, 53: return .choir
        case 56: return .trumpet
        case 65, 66: return .saxophone
        case 71: return .clarinet
        case 73: return .flute
        case 80, 81: return .synthLead
        case 88, 89, 90: return .synthPad
        default: return nil
        }
    }

    /// Whether the instrument sustains (bowed, blown, organ, pads) rather than decays (plucked, struck).
    public var sustains: Bool {
        switch self {
        case .organ, .strings, .violin, .cello, .flute, .clarinet, .saxophone, .trumpet, .synthLead, .synthPad, .choir: true
        default: false
        }
    }

    /// Whether the instrument is monophonic and naturally carries a melody.
    public var isMelodic: Bool {
        switch self {
        case .violin, .cello, .flute, .clarinet, .saxophone, .trumpet, .synthLead: true
        default: false
        }
    }

    /// Comfortable melodic range (MIDI keys, sounding pitch).
    public var melodicRange: ClosedRange<Int> {
        switch self {
        case .flute: 72...93
        case .clarinet: 55...81
        case .saxophone: 52...79
        case .trumpet: 58...82
        case .violin: 67...91
        case .cello: 43...69
        case .synthLead: 64...88
        case .piano, .electricPiano: 64...86
        case .vibraphone: 60...86
        case .electricGuitar, .distortedGuitar, .acousticGuitar: 57...81
        case .organ: 60...84
        case .harp: 60...88
        case .strings, .synthPad, .choir: 60...81
        case .bass: 31...55
        case .drums: 35...81
        }
    }

    /// Register for chord voicings (lowest key of the voicing window).
    public var voicingFloor: Int {
        switch self {
        case .choir, .strings, .synthPad: 55
        case .organ, .piano, .electricPiano: 53
        case .acousticGuitar, .electricGuitar, .distortedGuitar: 52
        case .harp, .vibraphone: 55
        case .cello: 43
        default: 55
        }
    }
}
