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
        ])

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
        case .jazz: ["swing", "bebop"]
        case .blues: ["blues music", "rhythm and blues"]
        case .funk: ["funky", "groove"]
        case .classical: ["orchestral", "chamber music"]
        case .electronic: ["electronica", "edm"]
        case .ambient: ["atmospheric", "soundscape"]
        case .folk: ["folk music", "acoustic folk"]
        case .latin: ["latin american", "bossa nova"]
        case .reggae: ["roots reggae", "dub"]
        case .metal: ["heavy metal", "hard rock"]
        case .hipHop: ["hiphop", "rap beat"]
        case .country: ["country and western", "americana"]
        }
    }
}

extension Mood {
    /// Words a catalogue might use for the same mood.
    public var synonyms: [String] {
        switch self {
        case .happy: ["joyful", "cheerful"]
        case .sad: ["sorrowful", "mournful"]
        case .calm: ["peaceful", "relaxed"]
        case .energetic: ["lively", "driving"]
        case .dark: ["gloomy", "ominous"]
        case .romantic: ["tender", "loving"]
        case .tense: ["suspenseful", "anxious"]
        case .uplifting: ["inspiring", "hopeful"]
        case .melancholic: ["wistful", "nostalgic"]
        case .playful: ["whimsical", "quirky"]
        }
    }
}

extension Instrument {
    /// Words a catalogue might use for the same instrument.
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
        }
    }
}
