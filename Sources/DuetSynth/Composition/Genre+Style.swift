extension Genre {
    /// The style table entry of the genre (core families here, their styles in `Genre+World.swift`).
    public var style: GenreStyle { family == self ? coreStyle.with(addingWorldColours) : worldStyle }

    /// The core families also use the wider world: instruments and moods of the larger vocabulary
    /// that belong to them (a clavinet in funk, a harmonica in blues, a majestic classical piece).
    func addingWorldColours(_ style: inout GenreStyle) {
        let instruments: [Instrument: Double]
        let moods: [Mood: Double]
        switch self {
        case .rock:
            instruments = [.harmonica: 0.4, .brassSection: 0.3]
            moods = [.aggressive: 1.5, .angry: 1, .nostalgic: 1, .carefree: 1, .epic: 0.7]
        case .pop:
            instruments = [.glockenspiel: 0.6, .brassSection: 0.6, .xylophone: 0.3, .marimba: 0.4]
            moods = [.carefree: 1.5, .nostalgic: 1, .sentimental: 1.5, .hopeful: 1.5, .dreamy: 1]
        case .jazz:
            instruments = [.trombone: 1.2, .brassSection: 0.8, .clavinet: 0.3]
            moods = [.sensual: 1, .groovy: 1.5, .nostalgic: 1, .mysterious: 0.5, .sentimental: 1, .humorous: 0.5]
        case .blues:
            instruments = [.harmonica: 2.5, .trombone: 0.4]
            moods = [.sentimental: 1, .groovy: 1, .solemn: 0.5]
        case .funk:
            instruments = [.clavinet: 2, .brassSection: 1.5, .trombone: 0.6]
            moods = [.groovy: 3, .sensual: 1]
        case .classical:
            instruments = [.viola: 1.5, .oboe: 1.5, .bassoon: 1.2, .piccolo: 0.6, .timpani: 1.2, .frenchHorn: 1.5,
                           .pizzicatoStrings: 1.5, .celesta: 0.6, .harpsichord: 0.6, .tubularBells: 0.4, .tuba: 0.4]
            moods = [.majestic: 2, .solemn: 2, .epic: 1.5, .heroic: 1, .gentle: 1.5, .spooky: 0.7, .mysterious: 1,
                     .sentimental: 1, .peaceful: 1]
        case .electronic:
            instruments = [.orchestraHit: 0.6, .synthEffects: 1.2]
            moods = [.hypnotic: 2, .dreamy: 1, .aggressive: 1, .mysterious: 1, .spooky: 0.6]
        case .ambient:
            instruments = [.celesta: 0.6, .tubularBells: 0.5, .oceanWaves: 1, .birdsong: 0.8, .kalimba: 0.5, .synthEffects: 1]
            moods = [.peaceful: 2, .dreamy: 2, .meditative: 2, .mysterious: 1.5, .spooky: 1, .gentle: 1]
        case .folk:
            instruments = [.harmonica: 1.5, .accordion: 1, .recorder: 1, .tinWhistle: 0.8, .banjo: 0.6, .viola: 0.4, .bagpipe: 0.5]
            moods = [.gentle: 1.5, .nostalgic: 1.5, .sentimental: 1.5, .peaceful: 1, .solemn: 0.5]
        case .latin:
            instruments = [.marimba: 1, .brassSection: 0.8, .trombone: 0.6, .accordion: 0.4]
            moods = [.sensual: 2, .groovy: 1, .carefree: 1]
        case .reggae:
            instruments = [.brassSection: 0.8, .trombone: 0.6, .harmonica: 0.3]
            moods = [.carefree: 2, .groovy: 1.5, .peaceful: 1]
        case .metal:
            instruments = [.timpani: 0.3, .orchestraHit: 0.3]
            moods = [.aggressive: 3, .angry: 2, .epic: 1.5, .heroic: 0.5, .spooky: 0.5]
        case .hipHop:
            instruments = [.orchestraHit: 0.8, .musicBox: 0.4, .brassSection: 0.5]
            moods = [.groovy: 1.5, .aggressive: 1, .nostalgic: 1, .mysterious: 0.5]
        case .country:
            instruments = [.harmonica: 1.5, .banjo: 1.5, .accordion: 0.3]
            moods = [.nostalgic: 1.5, .sentimental: 1.5, .carefree: 1.5, .gentle: 0.5]
        default:
            instruments = [:]
            moods = [:]
        }
        style.instrumentWeights.merge(instruments) { $1 }
        style.moodWeights.merge(moods) { $1 }
    }

    /// The style of a core family.
    var coreStyle: GenreStyle {
        switch self {
        case .rock:
            GenreStyle(
                tempoRange: 100...150, swing: 0.5...0.5, swingsSixteenths: false, waltzProbability: 0, majorProbability: 0.6,
                drumStyle: .rockBeat, drumProbability: 0.95, drumKits: [0, 8, 16], bassStyle: .rootEighths, bassProbability: 0.9,
                compStyle: .strum,
                majorProgressions: ["I | IV | V | IV", "I | bVII | IV | I", "I | V | vi | IV", "I | IV | I | V", "I IV | V IV | I | V"],
                minorProgressions: ["i | bVII | bVI | bVII", "i | bIII | bVII | iv", "i | iv | bVI | v", "i | bVI | bIII | bVII"],
                instrumentWeights: [.electricGuitar: 3, .distortedGuitar: 2.5, .piano: 1.2, .organ: 1.5, .acousticGuitar: 1.5, .synthPad: 0.4, .strings: 0.4, .synthLead: 0.3, .saxophone: 0.3],
                signatureInstruments: [],
                moodWeights: [.energetic: 3, .happy: 1, .dark: 1, .tense: 1, .uplifting: 2, .sad: 1, .melancholic: 1, .playful: 0.5, .calm: 0.3, .romantic: 0.5],
                partners: [.blues: 2, .metal: 2, .pop: 2, .country: 1, .folk: 1, .funk: 0.5, .electronic: 0.5],
                humanized: true)
        case .pop:
            GenreStyle(
                tempoRange: 85...128, swing: 0.5...0.5, swingsSixteenths: false, waltzProbability: 0.05, majorProbability: 0.7,
                drumStyle: .popBeat, drumProbability: 0.9, drumKits: [0, 8, 24], bassStyle: .rootEighths, bassProbability: 0.85,
                compStyle: .blockChords,
                majorProgressions: ["I | V | vi | IV", "vi | IV | I | V", "I | vi | IV | V", "I | IV | vi | V", "IV | I | V | vi", "Iadd9 | V | vi | IV"],
                minorProgressions: ["i | bVI | bIII | bVII", "i | iv | bVI | bVII", "bVI | bVII | i | i", "i | bVII | bVI | bVII"],
                instrumentWeights: [.piano: 2.5, .electricPiano: 1, .acousticGuitar: 2, .electricGuitar: 1.5, .synthPad: 2, .synthLead: 1.5, .strings: 1.5, .organ: 0.3, .violin: 0.3, .choir: 0.3],
                signatureInstruments: [],
                moodWeights: [.happy: 3, .uplifting: 3, .romantic: 2, .playful: 2, .energetic: 2, .sad: 1, .melancholic: 1, .calm: 1],
                partners: [.electronic: 2, .rock: 1.5, .funk: 1, .folk: 1, .latin: 1, .country: 0.5, .reggae: 0.5, .hipHop: 0.5],
                humanized: true)
        case .jazz:
            GenreStyle(
                tempoRange: 80...190, swing: 0.62...0.67, swingsSixteenths: false, waltzProbability: 0.1, majorProbability: 0.65,
                drumStyle: .jazzRide, drumProbability: 0.85, drumKits: [32, 40], bassStyle: .walking, bassProbability: 0.9,
                compStyle: .jazzComp,
                majorProgressions: ["ii7 | V7 | Imaj7 | Imaj7", "Imaj7 | vi7 | ii7 | V7", "iii7 | vi7 | ii7 | V7", "Imaj7 | IV7 | iii7 vi7 | ii7 V7", "ii7 V7 | Imaj7 VI7 | ii7 V7 | Imaj7"],
                minorProgressions: ["iih7 | V7 | i7 | i7", "i7 | iv7 | iih7 | V7", "i7 | bVImaj7 | iih7 | V7", "i7 iv7 | bVII7 | bIIImaj7 | iih7 V7"],
                instrumentWeights: [.piano: 3, .saxophone: 3, .trumpet: 2, .vibraphone: 1.5, .electricGuitar: 1.5, .electricPiano: 1, .clarinet: 1, .flute: 0.8, .organ: 0.8, .strings: 0.3],
                signatureInstruments: [],
                moodWeights: [.calm: 2, .romantic: 2, .playful: 2, .happy: 1.5, .melancholic: 1.5, .sad: 1, .energetic: 1, .dark: 0.5],
                partners: [.funk: 1.5, .latin: 1.5, .blues: 1.5, .hipHop: 1, .pop: 0.5],
                humanized: true)
        case .blues:
            GenreStyle(
                tempoRange: 65...130, swing: 0.64...0.67, swingsSixteenths: false, waltzProbability: 0, majorProbability: 0.75,
                drumStyle: .bluesShuffle, drumProbability: 0.85, drumKits: [0, 8, 40], bassStyle: .boogie, bassProbability: 0.85,
                compStyle: .strum,
                majorProgressions: ["I7 | IV7 | I7 | I7 | IV7 | IV7 | I7 | I7 | V7 | IV7 | I7 | V7", "I7 | I7 | I7 | I7 | IV7 | IV7 | I7 | I7", "I7 | IV7 | I7 | V7"],
                minorProgressions: ["i7 | iv7 | i7 | i7 | iv7 | iv7 | i7 | i7 | bVI7 | V7 | i7 | V7", "i7 | i7 | iv7 | i7 | bVI7 | V7 | i7 | V7"],
                instrumentWeights: [.electricGuitar: 3, .piano: 2, .organ: 1.5, .saxophone: 1.2, .acousticGuitar: 1.5, .trumpet: 0.5, .distortedGuitar: 0.6],
                signatureInstruments: [],
                moodWeights: [.sad: 2, .melancholic: 2, .energetic: 1, .happy: 1, .playful: 1, .dark: 1, .calm: 0.5, .romantic: 0.5],
                partners: [.rock: 2, .jazz: 1.5, .country: 1, .funk: 0.5],
                humanized: true)
        case .funk:
            GenreStyle(
                tempoRange: 90...120, swing: 0.5...0.56, swingsSixteenths: true, waltzProbability: 0, majorProbability: 0.5,
                drumStyle: .funkSixteenths, drumProbability: 0.97, drumKits: [0, 8], bassStyle: .funkSlap, bassProbability: 0.97,
                compStyle: .funkChops,
                majorProgressions: ["I9 | I9 | IV9 | IV9", "I7 | I7 | I7 | IV7", "I9 | IV9 | I9 | V9", "I7 IV7 | I7 IV7 | I7 IV7 | bVII7 IV7"],
                minorProgressions: ["i7 | i7 | iv7 | iv7", "i9 | i9 | i9 | bVII9", "i7 | IV9 | i7 | IV9", "i7 | bIII7 | iv7 | bVII7"],
                instrumentWeights: [.electricGuitar: 3, .electricPiano: 2, .organ: 1.5, .saxophone: 1.5, .trumpet: 1.5, .synthLead: 1, .piano: 0.5, .synthPad: 0.3],
                signatureInstruments: [],
                moodWeights: [.energetic: 3, .happy: 2, .playful: 3, .uplifting: 1, .tense: 0.5, .dark: 0.5],
                partners: [.jazz: 1.5, .pop: 1, .hipHop: 1, .electronic: 0.5, .latin: 0.5],
                humanized: true)
        case .classical:
            GenreStyle(
                tempoRange: 60...140, swing: 0.5...0.5, swingsSixteenths: false, waltzProbability: 0.25, majorProbability: 0.5,
                drumStyle: nil, drumProbability: 0, drumKits: [48], bassStyle: .sustained, bassProbability: 0,
                compStyle: .alberti,
                majorProgressions: ["I | IV | V7 | I", "I | vi | ii | V7", "I | V | vi | iii | IV | I | ii | V", "I | ii | V7 | I", "I IV | I V | vi ii | V I"],
                minorProgressions: ["i | iv | V7 | i", "i | bVI | iio | V", "i | bVII | bIII | bVI | iv | i | V | i", "i | iv | i | V7"],
                instrumentWeights: [.strings: 3, .piano: 3, .violin: 2.5, .cello: 2.5, .flute: 2, .clarinet: 1.5, .harp: 1.5, .choir: 1, .trumpet: 0.4, .organ: 0.5],
                signatureInstruments: [],
                moodWeights: [.calm: 2, .romantic: 2, .melancholic: 2, .sad: 1.5, .uplifting: 1.5, .happy: 1, .playful: 1, .dark: 1, .tense: 1, .energetic: 1],
                partners: [.ambient: 1.5, .metal: 0.4, .folk: 0.5, .pop: 0.3],
                humanized: true)
        case .electronic:
            GenreStyle(
                tempoRange: 90...140, swing: 0.5...0.5, swingsSixteenths: false, waltzProbability: 0, majorProbability: 0.4,
                drumStyle: .fourOnTheFloor, drumProbability: 0.9, drumKits: [24, 25], bassStyle: .octaveOffbeat, bassProbability: 0.9,
                compStyle: .stabs,
                majorProgressions: ["I | V | vi | IV", "IV | V | iii | vi", "I | I | IV | IV", "vi | IV | I | V"],
                minorProgressions: ["i | bVI | bIII | bVII", "i | i | bVI | bVII", "i | iv | bVI | bVII", "i | bVII | bVI | v"],
                instrumentWeights: [.synthLead: 3, .synthPad: 3, .piano: 1, .electricPiano: 0.8, .strings: 0.7, .choir: 0.4, .vibraphone: 0.2],
                signatureInstruments: [],
                moodWeights: [.energetic: 3, .uplifting: 2, .dark: 2, .tense: 1.5, .happy: 1, .calm: 1, .melancholic: 1],
                partners: [.pop: 2, .ambient: 2, .hipHop: 1, .funk: 0.5, .metal: 0.3],
                humanized: false)
        case .ambient:
            GenreStyle(
                tempoRange: 55...100, swing: 0.5...0.5, swingsSixteenths: false, waltzProbability: 0.1, majorProbability: 0.5,
                drumStyle: .ambientPulse, drumProbability: 0.15, drumKits: [24, 48], bassStyle: .sustained, bassProbability: 0.3,
                compStyle: .sustained,
                majorProgressions: ["Imaj7 | IVmaj7", "Iadd9 | vi7 | IVmaj7 | Iadd9", "Isus2 | IVadd9 | vi7 | IVmaj7", "Imaj7 | iii7 | IVmaj7 | IVmaj7"],
                minorProgressions: ["i9 | bVImaj7", "i7 | iv7 | bVImaj7 | i7", "isus2 | bVIIsus2 | bVImaj7 | i", "i | bIIImaj7 | bVImaj7 | iv7"],
                instrumentWeights: [.synthPad: 4, .piano: 2, .strings: 1.5, .choir: 1, .harp: 1, .flute: 0.8, .vibraphone: 0.8, .electricPiano: 0.8, .cello: 0.6, .acousticGuitar: 0.5, .synthLead: 0.3],
                signatureInstruments: [],
                moodWeights: [.calm: 4, .melancholic: 1.5, .dark: 1.5, .sad: 1, .romantic: 0.5, .uplifting: 0.5, .tense: 0.5],
                partners: [.electronic: 2, .classical: 1.5, .folk: 0.3],
                humanized: false)
        case .folk:
            GenreStyle(
                tempoRange: 80...130, swing: 0.5...0.55, swingsSixteenths: false, waltzProbability: 0.3, majorProbability: 0.6,
                drumStyle: .folkTambourine, drumProbability: 0.4, drumKits: [8, 40], bassStyle: .rootFifth, bassProbability: 0.6,
                compStyle: .arpeggio,
                majorProgressions: ["I | IV | I | V", "I | V | IV | I", "I | vi | IV | V", "I IV | I V | I IV | V I"],
                minorProgressions: ["i | bVII | i | bVII", "i | bIII | bVII | i", "i | iv | i | v", "i | bVI | bVII | i"],
                instrumentWeights: [.acousticGuitar: 4, .violin: 2, .flute: 1.5, .piano: 1, .cello: 1, .harp: 0.8, .clarinet: 0.5, .organ: 0.2],
                signatureInstruments: [.acousticGuitar],
                moodWeights: [.calm: 2, .happy: 2, .melancholic: 2, .sad: 1, .romantic: 1, .playful: 1, .uplifting: 1],
                partners: [.country: 2, .pop: 1, .classical: 0.5, .rock: 0.5, .latin: 0.3],
                humanized: true)
        case .latin:
            GenreStyle(
                tempoRange: 90...140, swing: 0.5...0.5, swingsSixteenths: false, waltzProbability: 0, majorProbability: 0.6,
                drumStyle: .latinClave, drumProbability: 0.9, drumKits: [0, 8], bassStyle: .tumbao, bassProbability: 0.9,
                compStyle: .montuno,
                majorProgressions: ["Imaj7 | Imaj7 | ii7 | V7", "ii7 | V7 | Imaj7 | VI7", "I | IV | V7 | IV", "Imaj7 | bIIo7 | ii7 | V7"],
                minorProgressions: ["i7 | iv7 | V7 | i7", "i | iv | bVII7 | bIIImaj7", "iih7 | V7 | i7 | i7", "i | V7 | V7 | i"],
                instrumentWeights: [.acousticGuitar: 2.5, .piano: 2.5, .trumpet: 2, .flute: 1.5, .saxophone: 1.2, .vibraphone: 0.8, .strings: 0.7, .electricGuitar: 0.5],
                signatureInstruments: [],
                moodWeights: [.happy: 2, .romantic: 2, .energetic: 2, .playful: 2, .calm: 1, .melancholic: 0.5],
                partners: [.jazz: 2, .pop: 1, .funk: 0.5, .folk: 0.3],
                humanized: true)
        case .reggae:
            GenreStyle(
                tempoRange: 65...95, swing: 0.5...0.6, swingsSixteenths: false, waltzProbability: 0, majorProbability: 0.6,
                drumStyle: .oneDrop, drumProbability: 0.95, drumKits: [0, 8], bassStyle: .reggaeDrop, bassProbability: 0.98,
                compStyle: .skank,
                majorProgressions: ["I | IV | I | IV", "I | V | IV | IV", "I | vi | IV | V", "I | I | IV | V"],
                minorProgressions: ["i | iv | i | iv", "i | bVII | i | bVII", "i | bVI | bVII | i", "i | iv | v | i"],
                instrumentWeights: [.organ: 3, .electricGuitar: 3, .piano: 1.2, .trumpet: 1, .saxophone: 1, .synthLead: 0.3, .electricPiano: 0.5],
                signatureInstruments: [],
                moodWeights: [.happy: 2, .calm: 2, .uplifting: 1.5, .playful: 1, .romantic: 0.5, .melancholic: 0.5],
                partners: [.pop: 1, .hipHop: 0.5, .latin: 0.3],
                humanized: true)
        case .metal:
            GenreStyle(
                tempoRange: 120...190, swing: 0.5...0.5, swingsSixteenths: false, waltzProbability: 0, majorProbability: 0.05,
                drumStyle: .metalDoubleKick, drumProbability: 0.97, drumKits: [16, 0], bassStyle: .rootEighths, bassProbability: 0.9,
                compStyle: .powerChords,
                majorProgressions: ["I5 | bVII5 | bVI5 | bVII5", "I5 | IV5 | bVII5 | I5"],
                minorProgressions: ["i5 | bVI5 | bVII5 | i5", "i5 | bII5 | i5 | bVII5", "i5 | bIII5 | bVI5 | v5", "i5 | i5 | bVI5 bVII5 | i5"],
                instrumentWeights: [.distortedGuitar: 5, .electricGuitar: 1, .choir: 0.7, .strings: 0.7, .synthPad: 0.5, .organ: 0.5, .piano: 0.3, .violin: 0.3, .cello: 0.3],
                signatureInstruments: [.distortedGuitar],
                moodWeights: [.energetic: 3, .dark: 3, .tense: 3, .melancholic: 0.5],
                partners: [.rock: 2, .classical: 0.5, .electronic: 0.4],
                humanized: true)
        case .hipHop:
            GenreStyle(
                tempoRange: 75...98, swing: 0.55...0.62, swingsSixteenths: true, waltzProbability: 0, majorProbability: 0.3,
                drumStyle: .boomBap, drumProbability: 1, drumKits: [0, 25, 8], bassStyle: .subBass, bassProbability: 0.9,
                compStyle: .blockChords,
                majorProgressions: ["Imaj7 | vi7 | ii7 | V7", "IVmaj7 | iii7 | ii7 | Imaj7", "Imaj7 | IVmaj7"],
                minorProgressions: ["i7 | bVImaj7", "i7 | iv7", "i9 | iv7 | bVII7 | bIIImaj7", "i7 | i7 | bVI7 | V7"],
                instrumentWeights: [.piano: 2.5, .electricPiano: 2, .synthPad: 2, .strings: 1.5, .saxophone: 0.8, .trumpet: 0.6, .vibraphone: 0.8, .synthLead: 1, .flute: 0.6, .choir: 0.3, .electricGuitar: 0.4],
                signatureInstruments: [],
                moodWeights: [.dark: 2, .calm: 1.5, .melancholic: 1.5, .energetic: 1.5, .tense: 1, .sad: 1, .playful: 1, .happy: 0.5],
                partners: [.jazz: 1.5, .funk: 1, .electronic: 1, .pop: 0.5],
                humanized: false)
        case .country:
            GenreStyle(
                tempoRange: 90...150, swing: 0.5...0.55, swingsSixteenths: false, waltzProbability: 0.15, majorProbability: 0.85,
                drumStyle: .trainBeat, drumProbability: 0.85, drumKits: [0, 40], bassStyle: .rootFifth, bassProbability: 0.9,
                compStyle: .strum,
                majorProgressions: ["I | IV | V | I", "I | I | IV | I | V | V | I | I", "I | V | vi | IV", "I | IV | I V | I"],
                minorProgressions: ["i | bVII | bVI | V", "i | iv | bVII | i"],
                instrumentWeights: [.acousticGuitar: 4, .electricGuitar: 2.5, .violin: 2.5, .piano: 1.5, .organ: 0.5],
                signatureInstruments: [.acousticGuitar],
                moodWeights: [.happy: 2, .sad: 1.5, .melancholic: 1.5, .uplifting: 1.5, .romantic: 1, .energetic: 1, .playful: 1, .calm: 1],
                partners: [.folk: 2, .rock: 1, .pop: 0.5, .blues: 0.5],
                humanized: true)
        default:
            family == self ? Genre.pop.coreStyle : family.coreStyle
        }
    }
}
