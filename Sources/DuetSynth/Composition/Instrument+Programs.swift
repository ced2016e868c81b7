extension Instrument {
    /// The General MIDI programs (0-based) that may voice this instrument in `genre`, first the most idiomatic.
    /// Every program listed is a melodic preset of the GM soundfonts in bank 0. Drum kits are not a program.
    public func programs(in genre: Genre) -> [Int] {
        let family = genre.family
        switch self {
        case .drums, .drumMachine: return []
        case .bass:
            switch family {
            case .jazz, .blues, .folk, .latin, .country, .classical: return genre == .jazzFusion ? [33, 36] : [32, 33]
            case .funk: return [36, 33, 37]
            case .electronic: return [38, 39]
            case .hipHop: return [38, 33, 32]
            case .metal, .rock: return [34, 33]
            case .reggae: return [33, 34]
            case .pop: return [33, 38, 34]
            case .ambient: return [38, 32]
            default: return [33]
            }
        case .piano: return [0, 1]
        case .electricPiano: return [4, 5]
        case .organ:
            switch family {
            case .classical, .ambient, .metal: return [19]
            case .rock: return [18, 16]
            default: return [16, 17]
            }
        case .acousticGuitar: return family == .classical || family == .latin ? [24] : [25, 24]
        case .electricGuitar:
            if family == .jazz { return [26] }
            if family == .funk || family == .reggae { return [28, 27] }
            return [27, 26]
        case .distortedGuitar: return [30, 29]
        case .strings: return [48, 49]
        case .violin: return genre == .bluegrass || genre == .celtic ? [110, 40] : [40]
        case .cello: return [42]
        case .flute: return [73]
        case .clarinet: return [71]
        case .saxophone: return family == .jazz || family == .blues ? [66, 65] : [65, 66]
        case .trumpet: return [56]
        case .synthLead: return genre == .chiptune ? [80] : [80, 81]
        case .synthPad: return [89, 88, 90]
        case .choir: return [52, 53]
        case .harp: return [46]
        case .vibraphone: return [11]
        case .accordion: return genre == .tango ? [23, 21] : [21]
        case .synthEffects: return [99, 102, 97]
        default: return [Self.generalMIDIPrograms[self] ?? 0]
        }
    }

    /// The one GM program of each instrument that has a single voice in every genre.
    static let generalMIDIPrograms: [Instrument: Int] = [
        .harpsichord: 6, .clavinet: 7, .celesta: 8, .glockenspiel: 9, .musicBox: 10, .marimba: 12, .xylophone: 13,
        .tubularBells: 14, .harmonica: 22, .viola: 41, .pizzicatoStrings: 45, .timpani: 47, .orchestraHit: 55,
        .trombone: 57, .tuba: 58, .frenchHorn: 60, .brassSection: 61, .oboe: 68, .bassoon: 70, .piccolo: 72,
        .recorder: 74, .panFlute: 75, .shakuhachi: 77, .tinWhistle: 78, .sitar: 104, .banjo: 105, .shamisen: 106,
        .koto: 107, .kalimba: 108, .bagpipe: 109, .steelDrums: 114, .taikoDrums: 116, .oceanWaves: 122, .birdsong: 123,
    ]

    /// The instrument a GM program voices, used by tests to check tags against rendered programs.
    /// Percussion-channel kits 24 (electronic) and 25 (TR-808) are the drum machine.
    public static func forProgram(_ program: Int, percussion: Bool) -> Instrument? {
        if percussion { return program == 24 || program == 25 ? .drumMachine : .drums }
        switch program {
        case 0, 1: return .piano
        case 4, 5: return .electricPiano
        case 11: return .vibraphone
        case 16, 17, 18, 19: return .organ
        case 21, 23: return .accordion
        case 24, 25: return .acousticGuitar
        case 26, 27, 28: return .electricGuitar
        case 29, 30: return .distortedGuitar
        case 32, 33, 34, 36, 37, 38, 39: return .bass
        case 40, 110: return .violin
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
        case 97, 99, 102: return .synthEffects
        default: return generalMIDIPrograms.first { $0.value == program }?.key
        }
    }

    /// Whether the instrument sustains (bowed, blown, organ, pads) rather than decays (plucked, struck).
    public var sustains: Bool {
        switch self {
        case .organ, .strings, .violin, .cello, .flute, .clarinet, .saxophone, .trumpet, .synthLead, .synthPad, .choir,
             .accordion, .harmonica, .viola, .trombone, .tuba, .frenchHorn, .brassSection, .oboe, .bassoon, .piccolo,
             .recorder, .panFlute, .tinWhistle, .shakuhachi, .synthEffects, .bagpipe, .oceanWaves, .birdsong: true
        default: false
        }
    }

    /// Whether the instrument is monophonic and naturally carries a melody.
    public var isMelodic: Bool {
        switch self {
        case .violin, .cello, .flute, .clarinet, .saxophone, .trumpet, .synthLead, .viola, .trombone, .frenchHorn,
             .oboe, .bassoon, .piccolo, .recorder, .panFlute, .tinWhistle, .shakuhachi, .harmonica, .bagpipe, .sitar,
             .shamisen: true
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
        case .drums, .drumMachine: 35...81
        case .harpsichord, .accordion, .harmonica, .shakuhachi, .koto, .kalimba, .steelDrums: 60...84
        case .clavinet, .viola, .brassSection, .synthEffects, .sitar, .shamisen, .oceanWaves: 55...79
        case .celesta, .musicBox, .birdsong: 72...96
        case .glockenspiel: 79...103
        case .marimba: 60...88
        case .xylophone: 72...100
        case .tubularBells: 60...77
        case .pizzicatoStrings: 55...84
        case .timpani: 40...55
        case .taikoDrums: 36...55
        case .orchestraHit: 48...72
        case .trombone: 46...72
        case .tuba: 29...53
        case .frenchHorn: 48...74
        case .oboe: 60...88
        case .bassoon: 36...64
        case .piccolo: 74...100
        case .recorder: 72...93
        case .panFlute: 64...88
        case .tinWhistle: 74...98
        case .banjo: 55...81
        case .bagpipe: 60...77
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
        case .celesta, .musicBox, .birdsong, .xylophone: 72
        case .glockenspiel: 79
        case .timpani, .taikoDrums: 40
        case .tuba: 36
        case .bassoon, .trombone: 45
        default: 55
        }
    }

    /// Whether the instrument holds long tones under the others (pad role) when not the lead.
    public var padsWhenAccompanying: Bool {
        switch self {
        case .strings, .synthPad, .choir, .oceanWaves, .birdsong, .synthEffects: true
        default: false
        }
    }
}
