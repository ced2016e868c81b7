extension GenreStyle {
    /// A copy changed by `edit` (styles of a family start from the family's entry).
    func with(_ edit: (inout GenreStyle) -> Void) -> GenreStyle {
        var copy = self
        edit(&copy)
        return copy
    }
}

extension Genre {
    /// The style of a genre outside the fourteen core families: the family's entry with its own
    /// tempo range, groove, bass line, comping, harmony, instrumentation, moods and partners.
    var worldStyle: GenreStyle {
        let base = family.coreStyle
        switch self {
        case .disco:
            return base.with {
                $0.tempoRange = 110...128; $0.drumStyle = .discoBeat; $0.drumProbability = 0.97; $0.bassStyle = .octaveOffbeat
                $0.compStyle = .funkChops; $0.majorProbability = 0.6
                $0.majorProgressions = ["I7 | IV7 | I7 | IV7", "ii7 | V7 | Imaj7 | vi7", "Imaj7 | iii7 | IVmaj7 | V7"]
                $0.minorProgressions = ["i7 | iv7 | i7 | iv7", "i7 | bVII7 | bVImaj7 | V7", "i9 | iv9 | bVII9 | bIIImaj7"]
                $0.instrumentWeights = [.strings: 3, .electricGuitar: 2.5, .electricPiano: 1.5, .brassSection: 2, .synthPad: 1, .piano: 1, .clavinet: 0.8]
                $0.moodWeights = [.happy: 3, .energetic: 3, .groovy: 3, .carefree: 2, .sensual: 1]
                $0.partners = [.funk: 2, .pop: 1, .house: 1]
            }
        case .soul:
            return base.with {
                $0.tempoRange = 70...108; $0.drumStyle = .popBeat; $0.swing = 0.5...0.56; $0.bassStyle = .rootFifth; $0.compStyle = .blockChords
                $0.majorProgressions = ["Imaj7 | vi7 | ii7 | V7", "I | iii | IV | V", "IVmaj7 | iii7 | ii7 | Imaj7", "I7 | IV7 | I7 | V7"]
                $0.instrumentWeights = [.organ: 3, .electricPiano: 2, .brassSection: 2, .saxophone: 2, .electricGuitar: 2, .strings: 1, .piano: 1.5]
                $0.moodWeights = [.sensual: 2, .romantic: 2, .groovy: 2, .sentimental: 2, .sad: 1, .hopeful: 1]
                $0.partners = [.gospel: 1.5, .funk: 1.5, .rhythmAndBlues: 1.5, .blues: 1]
            }
        case .rhythmAndBlues:
            return base.with {
                $0.tempoRange = 65...100; $0.swing = 0.5...0.58; $0.swingsSixteenths = true; $0.drumStyle = .halfTime; $0.drumProbability = 0.95
                $0.drumKits = [24, 25, 0]; $0.bassStyle = .subBass; $0.compStyle = .blockChords; $0.humanized = false
                $0.majorProgressions = ["IVmaj7 | iii7 | ii7 | Imaj7", "Imaj7 | vi9 | ii9 | V9", "IVmaj7 | V | iii7 | vi7"]
                $0.minorProgressions = ["i9 | iv9 | bVIImaj7 | bIIImaj7", "i7 | bVImaj7 | iv7 | V7"]
                $0.instrumentWeights = [.electricPiano: 3, .synthPad: 2, .piano: 1.5, .strings: 1, .electricGuitar: 1, .saxophone: 0.5]
                $0.moodWeights = [.sensual: 3, .romantic: 2, .calm: 1, .dreamy: 1, .sentimental: 1]
                $0.partners = [.soul: 1.5, .hipHop: 1, .pop: 1]
            }
        case .punk:
            return base.with {
                $0.tempoRange = 150...200; $0.drumStyle = .punkBeat; $0.drumKits = [16, 0]; $0.compStyle = .powerChords; $0.majorProbability = 0.5
                $0.majorProgressions = ["I5 | IV5 | V5 | IV5", "I5 | bVII5 | IV5 | I5", "I5 | V5 | vi | IV5"]
                $0.instrumentWeights = [.distortedGuitar: 4, .electricGuitar: 1, .organ: 0.3]
                $0.signatureInstruments = [.distortedGuitar]
                $0.moodWeights = [.aggressive: 3, .angry: 3, .energetic: 3, .carefree: 1, .humorous: 0.5]
                $0.partners = [.rock: 1, .ska: 1, .metal: 0.5]
            }
        case .indieRock:
            return base.with {
                $0.tempoRange = 100...140; $0.compStyle = .arpeggio
                $0.majorProgressions = ["I | iii | IV | IV", "vi | IV | I | V", "I | IV | vi | V", "IVmaj7 | I | IVmaj7 | I"]
                $0.instrumentWeights = [.electricGuitar: 3, .acousticGuitar: 1.5, .synthPad: 1, .glockenspiel: 0.8, .piano: 1, .organ: 0.5, .strings: 0.5]
                $0.moodWeights = [.nostalgic: 2, .melancholic: 2, .dreamy: 1.5, .carefree: 1.5, .energetic: 1, .hopeful: 1]
                $0.partners = [.rock: 1, .pop: 1, .folk: 0.5]
            }
        case .surfRock:
            return base.with {
                $0.tempoRange = 140...175; $0.drumStyle = .punkBeat; $0.bassStyle = .rootFifth; $0.compStyle = .strum
                $0.majorProgressions = ["I | IV | I | V", "I | vi | IV | V", "I | bVII | IV | I"]
                $0.minorProgressions = ["i | bVII | bVI | V", "i | iv | V | i"]
                $0.instrumentWeights = [.electricGuitar: 4, .organ: 1, .saxophone: 0.8, .piano: 0.4]
                $0.signatureInstruments = [.electricGuitar]
                $0.moodWeights = [.carefree: 3, .energetic: 2, .happy: 2, .humorous: 1, .tense: 0.5]
                $0.partners = [.rock: 1]
            }
        case .gospel:
            return base.with {
                $0.tempoRange = 68...120; $0.waltzProbability = 0.2; $0.swing = 0.5...0.62; $0.compStyle = .blockChords; $0.majorProbability = 0.85
                $0.majorProgressions = ["I | IV | I | V7", "I | I7 | IV | iv", "IV | I | ii7 | V7", "I | vi7 | ii7 | V7"]
                $0.instrumentWeights = [.choir: 3, .piano: 3, .organ: 2.5, .brassSection: 0.8]
                $0.signatureInstruments = [.organ]
                $0.moodWeights = [.uplifting: 3, .hopeful: 3, .solemn: 1.5, .majestic: 1, .happy: 1]
                $0.partners = [.soul: 1.5, .blues: 0.5]
            }
        case .lofi:
            return base.with {
                $0.tempoRange = 70...90; $0.drumKits = [25, 8, 40]; $0.compStyle = .blockChords
                $0.majorProgressions = ["IVmaj7 | iii7 | ii7 | Imaj7", "Imaj7 | vi9 | ii9 | V9", "ii9 | V9 | Imaj9 | vi9"]
                $0.instrumentWeights = [.electricPiano: 3, .piano: 2, .vibraphone: 1, .acousticGuitar: 1, .synthPad: 1, .kalimba: 0.5]
                $0.moodWeights = [.calm: 3, .nostalgic: 3, .dreamy: 2, .melancholic: 1.5, .peaceful: 1]
                $0.partners = [.jazz: 1, .hipHop: 1]
            }
        case .trap:
            return base.with {
                $0.tempoRange = 130...160; $0.swing = 0.5...0.5; $0.drumStyle = .trapHats; $0.drumKits = [25]; $0.compStyle = .sustained
                $0.instrumentWeights = [.synthPad: 2, .synthLead: 2, .piano: 1, .musicBox: 1, .strings: 0.7, .choir: 0.5, .panFlute: 0.5]
                $0.moodWeights = [.dark: 3, .aggressive: 2, .tense: 2, .mysterious: 1, .energetic: 1]
                $0.partners = [.hipHop: 1, .electronic: 0.5]
            }
        case .bluegrass:
            return base.with {
                $0.tempoRange = 110...160; $0.drumProbability = 0.1; $0.bassProbability = 0.9; $0.compStyle = .strum
                $0.instrumentWeights = [.violin: 3, .acousticGuitar: 3, .harmonica: 1, .accordion: 0.3]
                $0.signatureInstruments = [.banjo]
                $0.moodWeights = [.happy: 3, .energetic: 2, .carefree: 2, .nostalgic: 1, .sad: 0.5]
                $0.partners = [.country: 1.5, .folk: 1]
            }
        case .celtic:
            return base.with {
                $0.tempoRange = 90...140; $0.waltzProbability = 0.35; $0.drumProbability = 0.3; $0.compStyle = .arpeggio
                $0.majorProgressions = ["I | IV | I | V", "I | bVII | I | bVII", "I | V | IV | I", "vi | IV | I | V"]
                $0.minorProgressions = ["i | bVII | i | bVII", "i | bIII | bVII | i", "i | bVI | bVII | i"]
                $0.instrumentWeights = [.violin: 3, .tinWhistle: 2.5, .bagpipe: 3, .harp: 2, .flute: 1.5, .accordion: 1.5, .acousticGuitar: 2]
                $0.signatureInstruments = []
                $0.moodWeights = [.happy: 2, .nostalgic: 2, .melancholic: 2, .epic: 1, .carefree: 1.5, .heroic: 0.5]
                $0.partners = [.folk: 1.5, .cinematic: 0.5]
            }
        case .polka:
            return base.with {
                $0.tempoRange = 100...140; $0.waltzProbability = 0; $0.drumStyle = .polkaBeat; $0.drumProbability = 0.6; $0.drumKits = [0, 8]
                $0.bassStyle = .rootFifth; $0.bassProbability = 0.3; $0.compStyle = .skank; $0.majorProbability = 0.9
                $0.majorProgressions = ["I | V7 | V7 | I", "I | I | V7 | I", "I | IV | V7 | I"]
                $0.instrumentWeights = [.tuba: 3, .clarinet: 2, .trumpet: 1.5, .trombone: 1, .violin: 0.5]
                $0.signatureInstruments = [.accordion]
                $0.moodWeights = [.humorous: 3, .happy: 3, .carefree: 2, .energetic: 2]
                $0.partners = [.folk: 1]
            }
        case .swing:
            return base.with {
                $0.tempoRange = 130...200; $0.drumProbability = 0.97; $0.drumKits = [32, 0]
                $0.instrumentWeights = [.brassSection: 3, .saxophone: 3, .trumpet: 2, .trombone: 2, .piano: 2, .clarinet: 1.2, .vibraphone: 0.6]
                $0.moodWeights = [.happy: 2, .energetic: 2, .carefree: 2, .groovy: 2, .humorous: 1]
                $0.partners = [.jazz: 1.5, .blues: 0.5]
            }
        case .bossaNova:
            return base.with {
                $0.tempoRange = 110...140; $0.drumStyle = .bossaNova; $0.drumProbability = 0.7; $0.drumKits = [40, 32, 0]
                $0.bassStyle = .rootFifth; $0.compStyle = .arpeggio
                $0.majorProgressions = ["Imaj7 | Imaj7 | II7 | II7", "ii7 | V7 | Imaj7 | Imaj7", "Imaj7 | bIIo7 | ii7 | V7", "Imaj7 | iv7 | iii7 | VI7"]
                $0.minorProgressions = ["i7 | iv7 | iih7 | V7", "i7 | bVImaj7 | iih7 | V7"]
                $0.instrumentWeights = [.flute: 2, .saxophone: 1.5, .piano: 1.5, .electricPiano: 1, .strings: 0.8, .vibraphone: 0.6]
                $0.signatureInstruments = [.acousticGuitar]
                $0.moodWeights = [.calm: 2, .romantic: 2, .sensual: 2, .dreamy: 1.5, .carefree: 1, .nostalgic: 1]
                $0.partners = [.jazz: 1.5, .latin: 1, .lofi: 0.3]
            }
        case .smoothJazz:
            return base.with {
                $0.tempoRange = 80...110; $0.swing = 0.5...0.55; $0.drumStyle = .popBeat; $0.bassStyle = .rootFifth; $0.compStyle = .blockChords
                $0.instrumentWeights = [.electricPiano: 3, .piano: 1.5, .synthPad: 1.5, .electricGuitar: 1.5, .strings: 0.6]
                $0.signatureInstruments = [.saxophone]
                $0.moodWeights = [.calm: 2, .romantic: 2, .sensual: 2, .carefree: 1, .peaceful: 1]
                $0.partners = [.jazz: 1, .rhythmAndBlues: 1]
            }
        case .jazzFusion:
            return base.with {
                $0.tempoRange = 100...150; $0.swing = 0.5...0.52; $0.drumStyle = .funkSixteenths; $0.bassStyle = .funkSlap
                $0.instrumentWeights = [.electricPiano: 3, .synthLead: 2, .electricGuitar: 2, .saxophone: 2, .trumpet: 1, .clavinet: 1]
                $0.moodWeights = [.energetic: 2, .groovy: 2, .mysterious: 1, .playful: 1.5, .hypnotic: 1]
                $0.partners = [.jazz: 1, .funk: 1.5, .rock: 0.5]
            }
        case .baroque:
            return base.with {
                $0.tempoRange = 70...130; $0.waltzProbability = 0.2; $0.compStyle = .arpeggio
                $0.majorProgressions = ["I | IV | V | I", "I | vi | ii | V", "I | V | vi | iii | IV | I | IV | V", "I V | vi iii | IV I | IV V"]
                $0.minorProgressions = ["i | iv | V | i", "i | bVII | bIII | bVI | iio | V | i | i", "i | iv | bVII | bIII"]
                $0.instrumentWeights = [.violin: 3, .strings: 2, .oboe: 2, .recorder: 1.5, .bassoon: 1, .cello: 2, .flute: 1, .organ: 1, .viola: 1]
                $0.signatureInstruments = [.harpsichord]
                $0.moodWeights = [.majestic: 2, .solemn: 2, .happy: 1.5, .gentle: 1, .playful: 1, .calm: 1]
                $0.partners = [.classical: 1]
            }
        case .cinematic:
            return base.with {
                $0.tempoRange = 60...120; $0.drumStyle = .marchSnare; $0.drumProbability = 0.3; $0.drumKits = [48]
                $0.compStyle = .sustained; $0.bassProbability = 0
                $0.majorProgressions = ["I | bVI | bVII | I", "I | V | vi | IV", "I | iii | IV | iv", "bVI | bVII | I | I"]
                $0.minorProgressions = ["i | bVI | bIII | bVII", "i | iv | bVI | V", "i | bVI | iv | V", "i | bII | i | bII"]
                $0.instrumentWeights = [.frenchHorn: 3, .brassSection: 2, .timpani: 2, .choir: 2, .piano: 1.5, .taikoDrums: 1, .tubularBells: 0.5, .cello: 1, .celesta: 0.5, .pizzicatoStrings: 1, .orchestraHit: 0.5]
                $0.signatureInstruments = [.strings]
                $0.moodWeights = [.epic: 3, .heroic: 3, .majestic: 2, .mysterious: 2, .dark: 1.5, .tense: 1.5, .hopeful: 1, .spooky: 1, .solemn: 1]
                $0.partners = [.classical: 1, .ambient: 0.5]
            }
        case .minimalism:
            return base.with {
                $0.tempoRange = 80...130; $0.compStyle = .arpeggio
                $0.majorProgressions = ["I | I | IVmaj7 | IVmaj7", "vi | IV | I | V", "Iadd9 | Iadd9 | vi7 | vi7"]
                $0.minorProgressions = ["i | bVI | i | bVI", "i | bVII | bVI | bVII"]
                $0.instrumentWeights = [.piano: 3, .marimba: 3, .vibraphone: 1.5, .strings: 1.5, .clarinet: 1, .glockenspiel: 1]
                $0.moodWeights = [.hypnotic: 3, .calm: 2, .meditative: 2, .mysterious: 1]
                $0.partners = [.classical: 1, .ambient: 1]
            }
        case .march:
            return base.with {
                $0.tempoRange = 100...130; $0.waltzProbability = 0; $0.drumStyle = .marchSnare; $0.drumProbability = 0.9; $0.drumKits = [48, 0]
                $0.bassStyle = .rootFifth; $0.bassProbability = 0.2; $0.compStyle = .skank; $0.majorProbability = 0.85
                $0.majorProgressions = ["I | V7 | V7 | I", "I | IV | V7 | I", "I | I | ii V7 | I"]
                $0.instrumentWeights = [.tuba: 2, .trombone: 2, .trumpet: 2, .piccolo: 1.5, .clarinet: 1.5, .glockenspiel: 1, .frenchHorn: 1]
                $0.signatureInstruments = [.brassSection]
                $0.moodWeights = [.heroic: 3, .majestic: 2, .energetic: 2, .happy: 1.5, .humorous: 0.5]
                $0.partners = [.classical: 1, .cinematic: 0.5]
            }
        case .house:
            return base.with {
                $0.tempoRange = 118...128; $0.compStyle = .stabs; $0.majorProbability = 0.5
                $0.majorProgressions = ["Imaj7 | vi7 | ii7 | V7", "I | I | IV | IV", "ii7 | V7 | Imaj7 | IVmaj7"]
                $0.instrumentWeights = [.piano: 3, .synthPad: 2, .electricPiano: 1.5, .organ: 1, .synthLead: 1, .strings: 0.5]
                $0.moodWeights = [.groovy: 3, .happy: 2, .energetic: 2, .sensual: 1, .hypnotic: 1]
                $0.partners = [.electronic: 1, .disco: 1, .techno: 0.5]
            }
        case .techno:
            return base.with {
                $0.tempoRange = 125...140; $0.majorProbability = 0.2
                $0.majorProgressions = ["I | I | I | bVII", "I | I | IV | IV"]
                $0.minorProgressions = ["i | i | i | i", "i | i | bVI | bVII", "i | bII | i | i"]
                $0.instrumentWeights = [.synthLead: 2, .synthPad: 2, .synthEffects: 2, .orchestraHit: 0.5, .electricPiano: 0.3]
                $0.moodWeights = [.hypnotic: 3, .dark: 2, .energetic: 2, .aggressive: 1, .mysterious: 1]
                $0.partners = [.electronic: 1, .house: 0.5]
            }
        case .trance:
            return base.with {
                $0.tempoRange = 128...140; $0.compStyle = .arpeggio; $0.majorProbability = 0.4
                $0.majorProgressions = ["vi | IV | I | V", "I | V | vi | IV", "IV | V | vi | vi"]
                $0.minorProgressions = ["i | bVI | bIII | bVII", "i | bVI | bVII | i", "iv | bVI | bVII | i"]
                $0.instrumentWeights = [.synthLead: 3, .synthPad: 3, .piano: 1, .choir: 1, .strings: 1]
                $0.moodWeights = [.uplifting: 3, .epic: 2, .dreamy: 2, .hopeful: 2, .energetic: 2]
                $0.partners = [.electronic: 1]
            }
        case .drumAndBass:
            return base.with {
                $0.tempoRange = 165...180; $0.drumStyle = .breakbeat; $0.bassStyle = .subBass; $0.compStyle = .sustained
                $0.instrumentWeights = [.synthPad: 2, .synthLead: 2, .piano: 1, .strings: 1, .synthEffects: 1, .electricPiano: 0.5]
                $0.moodWeights = [.energetic: 3, .tense: 2, .dark: 2, .aggressive: 1.5, .dreamy: 0.5]
                $0.partners = [.electronic: 1]
            }
        case .synthwave:
            return base.with {
                $0.tempoRange = 80...118; $0.drumStyle = .popBeat; $0.compStyle = .arpeggio
                $0.instrumentWeights = [.synthLead: 3, .synthPad: 3, .electricPiano: 0.5, .electricGuitar: 0.5]
                $0.moodWeights = [.nostalgic: 3, .dreamy: 2, .mysterious: 1.5, .heroic: 1, .energetic: 1]
                $0.partners = [.electronic: 1, .pop: 0.5]
            }
        case .chiptune:
            return base.with {
                $0.tempoRange = 120...160; $0.drumStyle = .popBeat; $0.compStyle = .arpeggio; $0.majorProbability = 0.7
                $0.majorProgressions = ["I | V | vi | IV", "I | IV | V | I", "vi | IV | V | I"]
                $0.instrumentWeights = [.synthEffects: 1, .musicBox: 0.5, .synthPad: 0.5]
                $0.signatureInstruments = [.synthLead]
                $0.moodWeights = [.playful: 3, .humorous: 2, .happy: 2, .energetic: 2, .heroic: 1]
                $0.partners = [.electronic: 1]
            }
        case .tripHop:
            return base.with {
                $0.tempoRange = 70...95; $0.drumStyle = .halfTime; $0.compStyle = .sustained
                $0.instrumentWeights = [.synthPad: 2, .strings: 2, .piano: 1.5, .electricPiano: 1, .vibraphone: 1, .synthEffects: 1]
                $0.moodWeights = [.mysterious: 3, .dark: 2, .melancholic: 2, .sensual: 1.5, .hypnotic: 1.5]
                $0.partners = [.hipHop: 1, .electronic: 1, .ambient: 0.5]
            }
        case .newAge:
            return base.with {
                $0.tempoRange = 60...90; $0.drumProbability = 0; $0.compStyle = .arpeggio
                $0.instrumentWeights = [.piano: 3, .synthPad: 3, .harp: 2, .flute: 1.5, .kalimba: 1, .oceanWaves: 1.5, .birdsong: 1.5, .panFlute: 1]
                $0.moodWeights = [.peaceful: 3, .meditative: 3, .gentle: 2, .hopeful: 1, .dreamy: 2]
                $0.partners = [.ambient: 1]
            }
        case .darkAmbient:
            return base.with {
                $0.tempoRange = 50...80; $0.drumProbability = 0.05; $0.majorProbability = 0.05
                $0.minorProgressions = ["i | i | bII | i", "i | bVI | i | bII", "io | io | i | i"]
                $0.instrumentWeights = [.synthEffects: 3, .synthPad: 3, .strings: 1.5, .choir: 1.5, .tubularBells: 1, .cello: 0.5]
                $0.moodWeights = [.spooky: 3, .dark: 3, .mysterious: 3, .tense: 2]
                $0.partners = [.ambient: 1, .cinematic: 0.5]
            }
        case .salsa:
            return base.with {
                $0.tempoRange = 140...190
                $0.instrumentWeights = [.brassSection: 3, .trombone: 2, .trumpet: 2, .flute: 0.5, .vibraphone: 0.3]
                $0.signatureInstruments = [.piano]
                $0.moodWeights = [.energetic: 3, .happy: 2, .sensual: 2, .groovy: 2, .carefree: 1]
                $0.partners = [.latin: 1, .jazz: 0.5]
            }
        case .tango:
            return base.with {
                $0.tempoRange = 110...130; $0.drumProbability = 0; $0.bassStyle = .rootFifth; $0.compStyle = .blockChords; $0.majorProbability = 0.2
                $0.minorProgressions = ["i | iv | V7 | i", "i | V7 | V7 | i", "i | bVI | V7 | i", "iv | i | V7 | i"]
                $0.instrumentWeights = [.violin: 3, .piano: 2.5, .strings: 1.5, .cello: 1, .acousticGuitar: 0.5]
                $0.signatureInstruments = [.accordion]
                $0.moodWeights = [.sensual: 3, .tense: 2, .melancholic: 2, .romantic: 1.5, .mysterious: 1]
                $0.partners = [.latin: 1, .classical: 0.3]
            }
        case .afrobeat:
            return base.with {
                $0.tempoRange = 100...125; $0.drumStyle = .afrobeat; $0.bassStyle = .rootEighths; $0.swing = 0.5...0.53
                $0.instrumentWeights = [.brassSection: 3, .saxophone: 2, .organ: 2, .electricGuitar: 3, .trumpet: 1, .kalimba: 0.5]
                $0.moodWeights = [.groovy: 3, .energetic: 2, .happy: 2, .hypnotic: 1.5]
                $0.partners = [.funk: 1.5, .jazz: 0.5]
            }
        case .indian:
            return base.with {
                $0.tempoRange = 70...120; $0.waltzProbability = 0; $0.drumStyle = .handDrums; $0.drumProbability = 0.6; $0.drumKits = [0, 8]
                $0.bassStyle = .sustained; $0.bassProbability = 0.1; $0.compStyle = .sustained
                $0.majorProgressions = ["I | I | bVII | I", "I | I | I | I", "I | IV | I | I"]
                $0.minorProgressions = ["i | i | bII | i", "i | i | i | i", "i | bVII | i | i"]
                $0.instrumentWeights = [.flute: 2, .strings: 1, .accordion: 1, .tubularBells: 0.2]
                $0.signatureInstruments = [.sitar]
                $0.moodWeights = [.meditative: 3, .mysterious: 2, .hypnotic: 2, .sensual: 1, .calm: 1.5]
                $0.partners = [.folk: 0.5, .ambient: 0.5]
            }
        case .flamenco:
            return base.with {
                $0.tempoRange = 100...160; $0.drumStyle = .clapping; $0.drumProbability = 0.5; $0.drumKits = [0]
                $0.bassStyle = .rootFifth; $0.bassProbability = 0.3; $0.compStyle = .strum; $0.majorProbability = 0.15
                $0.minorProgressions = ["i | bVII | bVI | V", "iv | bIII | bII | i", "i | bVII | bVI | V7"]
                $0.instrumentWeights = [.violin: 1, .cello: 1, .trumpet: 0.5, .strings: 0.5]
                $0.signatureInstruments = [.acousticGuitar]
                $0.moodWeights = [.tense: 2, .sensual: 2, .aggressive: 1, .melancholic: 2, .energetic: 2]
                $0.partners = [.latin: 1, .folk: 0.5]
            }
        case .calypso:
            return base.with {
                $0.tempoRange = 100...130; $0.drumStyle = .skaBeat; $0.bassStyle = .rootFifth; $0.majorProbability = 0.9
                $0.instrumentWeights = [.acousticGuitar: 1.5, .trumpet: 1, .saxophone: 1, .marimba: 1, .piano: 0.5]
                $0.signatureInstruments = [.steelDrums]
                $0.moodWeights = [.happy: 3, .carefree: 3, .humorous: 1.5, .playful: 1]
                $0.partners = [.reggae: 1, .latin: 0.5]
            }
        case .ska:
            return base.with {
                $0.tempoRange = 140...180; $0.drumStyle = .skaBeat; $0.bassStyle = .walking
                $0.instrumentWeights = [.brassSection: 3, .trombone: 2, .trumpet: 2, .saxophone: 2, .organ: 2, .electricGuitar: 2]
                $0.moodWeights = [.happy: 2, .energetic: 3, .humorous: 2, .carefree: 2]
                $0.partners = [.reggae: 1, .punk: 1]
            }
        case .eastAsian:
            return base.with {
                $0.tempoRange = 60...110; $0.waltzProbability = 0; $0.drumStyle = .handDrums; $0.drumProbability = 0.2; $0.drumKits = [48]
                $0.bassStyle = .sustained; $0.bassProbability = 0; $0.compStyle = .arpeggio
                $0.majorProgressions = ["Isus2 | IVsus2 | Isus2 | V", "I | vi | I | IV", "vi | I | IV | I"]
                $0.minorProgressions = ["isus2 | bVIIsus2 | isus2 | isus2", "i | iv | i | bVII"]
                $0.instrumentWeights = [.shakuhachi: 2, .shamisen: 2, .taikoDrums: 1.5, .flute: 1, .strings: 0.5, .panFlute: 0.5]
                $0.signatureInstruments = [.koto]
                $0.moodWeights = [.meditative: 3, .calm: 2, .mysterious: 2, .solemn: 1, .gentle: 2]
                $0.partners = [.ambient: 0.5, .cinematic: 0.3]
            }
        case .childrens:
            return base.with {
                $0.tempoRange = 90...130; $0.drumProbability = 0.3; $0.waltzProbability = 0.2; $0.majorProbability = 0.95; $0.compStyle = .arpeggio
                $0.majorProgressions = ["I | IV | V | I", "I | vi | IV | V", "I | I | IV | V"]
                $0.instrumentWeights = [.glockenspiel: 2, .celesta: 2, .xylophone: 3, .kalimba: 1, .piano: 1, .recorder: 1, .pizzicatoStrings: 2, .oboe: 0.5, .bassoon: 0.5]
                $0.signatureInstruments = [.musicBox]
                $0.moodWeights = [.gentle: 3, .playful: 2, .humorous: 2, .peaceful: 2, .happy: 1.5]
                $0.partners = [.pop: 0.5, .classical: 0.3]
            }
        default:
            return base
        }
    }

    /// Probability that a clip with drums has a drum machine rather than an acoustic kit.
    public var drumMachineProbability: Double {
        switch self {
        case .electronic, .house, .techno, .trance, .drumAndBass, .synthwave, .chiptune, .trap: 0.9
        case .hipHop, .lofi, .tripHop, .rhythmAndBlues: 0.6
        case .pop, .disco, .ambient, .darkAmbient: 0.3
        default: 0
        }
    }
}
