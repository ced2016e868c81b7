import DuetData
import Foundation

/// The tag vocabulary file written beside the manifest (`vocabulary.json`):
/// `{"name": "duet-synth", "categories": {category: {canonical tag: [synonyms]}}}`.
///
/// The shape is the one `DuetData`'s `TagVocabulary` reads; the synonyms are the words the
/// training-time caption augmentation may substitute for a canonical tag.
public struct SynthVocabulary: Codable, Sendable, Equatable {
    public var name: String
    public var categories: [String: [String: [String]]]

    /// The vocabulary of the procedural corpus.
    public static let standard = SynthVocabulary(
        name: "duet-synth",
        categories: [
            TagCategory.genre: Dictionary(uniqueKeysWithValues: Genre.allCases.map { ($0.rawValue, $0.synonyms) }),
            TagCategory.mood: Dictionary(uniqueKeysWithValues: Mood.allCases.map { ($0.rawValue, $0.synonyms) }),
            TagCategory.instrument: Dictionary(
                uniqueKeysWithValues: Instrument.allCases.map { ($0.rawValue, $0.synonyms) }),
            tempoCategory: ["slow": ["slow-paced", "lento"], "medium tempo": ["mid-tempo", "moderato"],
                            "fast": ["uptempo", "quick"], "very fast": ["high-speed", "presto"]],
            // Tags of the human-written tune clips (`NotatedTune+Tags.swift`).
            formCategory: [
                "folk song": ["traditional song", "folksong"], "fiddle tune": ["fiddle music", "fiddle piece"],
                "reel": ["dance reel"], "jig": ["double jig"], "slip jig": ["hop jig"], "hornpipe": ["hornpipe dance"],
                "strathspey": ["scottish strathspey"], "clog": ["clog dance"], "highland fling": ["fling"],
            ],
            meterCategory: [
                "duple meter": ["duple time"], "triple meter": ["triple time", "waltz time"],
                "quadruple meter": ["quadruple time", "common time"], "compound duple meter": ["compound duple time"],
                "compound triple meter": ["compound triple time"], "compound quadruple meter": ["compound quadruple time"],
                "irregular meter": ["irregular time"], "compound irregular meter": ["compound irregular time"],
            ],
            regionCategory: Dictionary(uniqueKeysWithValues: NotatedTune.regionTags.map { ($0, NotatedTune.regionSynonyms[$0] ?? []) }),
        ])

    /// The manifest categories of the tune clips' form (folk song, fiddle tune, reel, ...), kind of
    /// meter (duple, triple, compound duple, ...) and region of origin (germany, china, ...).
    public static let formCategory = "form"
    public static let meterCategory = "meter"
    public static let regionCategory = "region"

    /// The manifest category of the tempo tag.
    public static let tempoCategory = TagCategory.tempo

    /// The tempo tag of a clip (`TagCategory.tempoTag`, shared with `duet import library`).
    public static func tempoTag(_ beatsPerMinute: Double) -> String { TagCategory.tempoTag(beatsPerMinute: beatsPerMinute) }

    /// Pretty-printed JSON with sorted keys, so equal vocabularies give identical bytes.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

extension Genre {
    /// Words a catalogue might use for the same genre.
    public var synonyms: [String] {
        switch self {
        case .rock: ["rock and roll", "guitar rock"]
        case .pop: ["pop music", "mainstream pop"]
        case .jazz: ["jazz music", "bebop"]
        case .blues: ["blues music", "delta blues"]
        case .funk: ["funky", "groove"]
        case .classical: ["orchestral", "chamber music"]
        case .electronic: ["electronica", "edm"]
        case .ambient: ["atmospheric", "soundscape"]
        case .folk: ["folk music", "acoustic folk"]
        case .latin: ["latin american", "latin music"]
        case .reggae: ["roots reggae", "dub"]
        case .metal: ["heavy metal", "hard rock"]
        case .hipHop: ["hiphop", "rap beat"]
        case .country: ["country and western", "americana"]
        case .disco: ["disco music", "nu disco"]
        case .soul: ["soul music", "motown"]
        case .rhythmAndBlues: ["rnb", "contemporary r&b"]
        case .punk: ["punk rock", "hardcore punk"]
        case .indieRock: ["indie", "alternative rock"]
        case .surfRock: ["surf music", "surf guitar"]
        case .gospel: ["gospel music", "church music"]
        case .lofi: ["lofi", "chillhop"]
        case .trap: ["trap music", "trap beat"]
        case .bluegrass: ["bluegrass music", "mountain music"]
        case .celtic: ["irish traditional", "gaelic"]
        case .polka: ["polka music", "oompah"]
        case .swing: ["big band", "swing jazz"]
        case .bossaNova: ["bossa", "brazilian jazz"]
        case .smoothJazz: ["contemporary jazz", "soft jazz"]
        case .jazzFusion: ["fusion", "jazz-rock"]
        case .baroque: ["baroque music", "early music"]
        case .cinematic: ["film score", "soundtrack"]
        case .minimalism: ["minimalist", "minimal music"]
        case .march: ["marching band", "military march"]
        case .house: ["house music", "deep house"]
        case .techno: ["techno music", "minimal techno"]
        case .trance: ["trance music", "progressive trance"]
        case .drumAndBass: ["dnb", "jungle"]
        case .synthwave: ["retrowave", "outrun"]
        case .chiptune: ["8-bit", "video game music"]
        case .tripHop: ["downtempo", "bristol sound"]
        case .newAge: ["relaxation music", "new age music"]
        case .darkAmbient: ["drone", "dark soundscape"]
        case .salsa: ["salsa music", "mambo"]
        case .tango: ["argentine tango", "tango music"]
        case .afrobeat: ["afrobeats", "afro funk"]
        case .indian: ["indian classical", "raga"]
        case .flamenco: ["spanish flamenco", "flamenco music"]
        case .calypso: ["caribbean", "soca"]
        case .ska: ["ska music", "two-tone"]
        case .eastAsian: ["japanese traditional", "chinese traditional"]
        case .childrens: ["kids music", "nursery rhyme"]
        }
    }
}

extension Mood {
    /// Words a catalogue might use for the same mood.
    public var synonyms: [String] {
        switch self {
        case .happy: ["joyful", "cheerful"]
        case .sad: ["sorrowful", "mournful"]
        case .calm: ["tranquil", "relaxed"]
        case .energetic: ["lively", "driving"]
        case .dark: ["gloomy", "ominous"]
        case .romantic: ["tender", "loving"]
        case .tense: ["suspenseful", "anxious"]
        case .uplifting: ["inspiring", "rousing"]
        case .melancholic: ["wistful", "pensive"]
        case .playful: ["whimsical", "quirky"]
        case .aggressive: ["fierce", "intense"]
        case .epic: ["grand", "monumental"]
        case .mysterious: ["enigmatic", "mystical"]
        case .dreamy: ["ethereal", "hazy"]
        case .peaceful: ["serene", "placid"]
        case .hopeful: ["optimistic", "encouraging"]
        case .nostalgic: ["reminiscent", "yearning"]
        case .angry: ["furious", "enraged"]
        case .groovy: ["grooving", "in the pocket"]
        case .sensual: ["sultry", "seductive"]
        case .humorous: ["funny", "comical"]
        case .spooky: ["eerie", "creepy"]
        case .solemn: ["somber", "reverent"]
        case .majestic: ["regal", "stately"]
        case .carefree: ["breezy", "lighthearted"]
        case .sentimental: ["heartfelt", "touching"]
        case .hypnotic: ["mesmerizing", "repetitive"]
        case .heroic: ["valiant", "brave"]
        case .gentle: ["soft", "delicate"]
        case .meditative: ["contemplative", "zen"]
        }
    }
}

extension Instrument {
    /// Words a catalogue might use for the same instrument (GM names and everyday names).
    public var synonyms: [String] {
        switch self {
        case .drums: ["drum kit", "percussion"]
        case .bass: ["bass guitar", "bassline"]
        case .piano: ["grand piano", "keys"]
        case .organ: ["hammond organ", "church organ"]
        case .acousticGuitar: ["nylon guitar", "steel-string guitar"]
        case .electricGuitar: ["clean guitar", "jazz guitar"]
        case .distortedGuitar: ["overdriven guitar", "heavy guitar"]
        case .strings: ["string section", "string ensemble"]
        case .violin: ["fiddle", "solo violin"]
        case .cello: ["violoncello", "solo cello"]
        case .flute: ["flutes", "concert flute"]
        case .clarinet: ["clarinets", "woodwind"]
        case .saxophone: ["sax", "tenor sax"]
        case .trumpet: ["horn", "brass"]
        case .synthLead: ["lead synth", "synthesizer melody"]
        case .synthPad: ["pad", "synth strings"]
        case .choir: ["vocal pad", "voices"]
        case .harp: ["concert harp", "harp arpeggios"]
        case .vibraphone: ["vibes", "mallets"]
        case .electricPiano: ["rhodes", "e-piano"]
        case .drumMachine: ["808", "beat machine"]
        case .harpsichord: ["cembalo", "clavecin"]
        case .clavinet: ["clav", "clavinet keys"]
        case .celesta: ["celeste", "celesta bells"]
        case .glockenspiel: ["glock", "orchestra bells"]
        case .musicBox: ["musical box", "wind-up music box"]
        case .marimba: ["wooden mallets", "marimba bars"]
        case .xylophone: ["xylo", "wooden xylophone"]
        case .tubularBells: ["chimes", "orchestral chimes"]
        case .accordion: ["squeezebox", "bandoneon"]
        case .harmonica: ["mouth organ", "diatonic harmonica"]
        case .viola: ["solo viola", "viola da braccio"]
        case .pizzicatoStrings: ["plucked strings", "pizzicato"]
        case .timpani: ["kettle drums", "kettledrums"]
        case .orchestraHit: ["orchestral stab", "orch hit"]
        case .trombone: ["slide trombone", "tenor trombone"]
        case .tuba: ["sousaphone", "bass tuba"]
        case .frenchHorn: ["orchestral horn", "corno"]
        case .brassSection: ["brass ensemble", "horn section"]
        case .oboe: ["double reed", "oboe solo"]
        case .bassoon: ["fagott", "low woodwind"]
        case .piccolo: ["piccolo flute", "fife"]
        case .recorder: ["soprano recorder", "block flute"]
        case .panFlute: ["panpipes", "pan pipes"]
        case .tinWhistle: ["penny whistle", "irish whistle"]
        case .shakuhachi: ["bamboo flute", "japanese flute"]
        case .synthEffects: ["synth fx", "electronic effects"]
        case .sitar: ["sitar drone", "plucked sitar"]
        case .banjo: ["five-string banjo", "bluegrass banjo"]
        case .shamisen: ["samisen", "japanese lute"]
        case .koto: ["japanese zither", "koto harp"]
        case .kalimba: ["thumb piano", "mbira"]
        case .bagpipe: ["highland pipes", "uilleann pipes"]
        case .steelDrums: ["steelpan", "steel pan"]
        case .taikoDrums: ["taiko", "japanese drums"]
        case .oceanWaves: ["sea waves", "surf sounds"]
        case .birdsong: ["bird calls", "chirping birds"]
        }
    }
}
