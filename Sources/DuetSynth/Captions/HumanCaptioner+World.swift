extension Genre {
    /// How listeners name a style outside the core families in the held-out captions.
    var heldOutNouns: [String] {
        switch self {
        case .disco: ["mirror-ball dance tune", "seventies dance-floor number"]
        case .soul: ["soul-style instrumental", "sweet soul groove"]
        case .rhythmAndBlues: ["slow-jam instrumental", "r&b-style groove"]
        case .punk: ["three-chord thrasher", "snotty punk-style blast"]
        case .indieRock: ["indie-sounding guitar tune", "college-radio kind of tune"]
        case .surfRock: ["beach-party guitar instrumental", "reverb-drenched surf-style tune"]
        case .gospel: ["church-style piece", "sunday-service kind of tune"]
        case .lofi: ["lo-fi study beat", "dusty bedroom beat"]
        case .trap: ["trap-style beat", "hard-hitting rap beat"]
        case .bluegrass: ["hoedown", "bluegrass-style breakdown"]
        case .celtic: ["celtic-sounding tune", "pub-session tune"]
        case .polka: ["polka-style oompah tune", "beer-hall dance"]
        case .swing: ["big-band number", "swing-era tune"]
        case .bossaNova: ["bossa-style tune", "laid-back brazilian number"]
        case .smoothJazz: ["smooth-jazz cut", "late-night radio jazz"]
        case .jazzFusion: ["fusion-y jam", "jazz-rock jam"]
        case .baroque: ["baroque-sounding piece", "powdered-wig era piece"]
        case .cinematic: ["movie-score cue", "cinematic cue"]
        case .minimalism: ["minimalist-sounding piece", "repeating-pattern piece"]
        case .march: ["parade tune", "marching-band number"]
        case .house: ["house-style club track", "four-to-the-floor club track"]
        case .techno: ["techno-style warehouse track", "pounding techno-ish track"]
        case .trance: ["trance-style anthem", "hands-in-the-air club track"]
        case .drumAndBass: ["drum and bass-style roller", "breakneck breakbeat track"]
        case .synthwave: ["eighties-style synth track", "neon-soaked synth tune"]
        case .chiptune: ["retro video-game tune", "chiptune-style ditty"]
        case .tripHop: ["trip hop-style groove", "smoky downbeat track"]
        case .newAge: ["new age-style piece", "spa-music piece"]
        case .darkAmbient: ["dark ambient-style drone", "haunting drone piece"]
        case .salsa: ["salsa-style dance tune", "hot latin dance number"]
        case .tango: ["tango-style piece", "dramatic tango-ish dance"]
        case .afrobeat: ["afrobeat-style jam", "west african-flavoured groove"]
        case .indian: ["indian-sounding piece", "raga-like piece"]
        case .flamenco: ["flamenco-style piece", "spanish-guitar workout"]
        case .calypso: ["calypso-style tune", "island carnival tune"]
        case .ska: ["ska-style skank", "upstroke-heavy ska-ish tune"]
        case .eastAsian: ["east asian-sounding piece", "far-eastern sounding piece"]
        case .childrens: ["nursery-style tune", "little children's song"]
        default: ["\(rawValue) tune"]
        }
    }

    /// Adjectives for a style outside the core families in the held-out captions.
    var heldOutAdjectives: [String] {
        switch self {
        case .rhythmAndBlues: ["r&b-leaning", "r&b-ish"]
        case .drumAndBass: ["drum and bass-ish", "jungle-flavoured"]
        case .childrens: ["kid-friendly", "nursery-like"]
        case .eastAsian: ["east asian-flavoured", "far-eastern"]
        default: ["\(rawValue)-ish", "\(rawValue)-flavoured"]
        }
    }
}

extension Instrument {
    /// How listeners name an instrument outside the first twenty in the held-out captions.
    var heldOutPhrases: [HumanCaptioner.Phrase] {
        let plural = ["pizzicato strings", "tubular bells", "steel drums", "taiko drums", "ocean waves"].contains(rawValue)
        let mass = self == .birdsong
        let descriptor: String
        switch self {
        case .drumMachine: descriptor = "programmed"
        case .harpsichord, .celesta, .musicBox, .glockenspiel, .kalimba: descriptor = "tinkly"
        case .clavinet, .banjo, .shamisen, .koto, .sitar: descriptor = "twangy little"
        case .marimba, .xylophone, .steelDrums: descriptor = "bouncy"
        case .tubularBells: descriptor = "ringing"
        case .accordion, .harmonica, .bagpipe: descriptor = "wheezy"
        case .viola, .pizzicatoStrings: descriptor = "plucky"
        case .timpani, .taikoDrums, .orchestraHit: descriptor = "booming"
        case .trombone, .tuba, .frenchHorn, .brassSection: descriptor = "brassy"
        case .oboe, .bassoon: descriptor = "reedy"
        case .piccolo, .recorder, .panFlute, .tinWhistle, .shakuhachi: descriptor = "airy"
        case .synthEffects: descriptor = "sci-fi"
        case .oceanWaves, .birdsong: descriptor = "field-recording"
        default: descriptor = "nice"
        }
        return [
            HumanCaptioner.Phrase(text: rawValue, plural: plural, mass: mass),
            HumanCaptioner.Phrase(text: "\(descriptor) \(rawValue)", plural: plural, mass: mass),
        ]
    }
}
