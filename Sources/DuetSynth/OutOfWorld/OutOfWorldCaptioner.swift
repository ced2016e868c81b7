import DuetRandom

/// Captions for the out-of-world test split, from a phrase book of its own: none of its content
/// words occurs in any training text (tag names, their synonyms, the swap dictionary, the
/// training captions' patterns), which `OutOfWorldTests` checks mechanically. So a model can
/// only match these captions by meaning, as with a stranger's words.
///
/// Every caption is grounded in the clip's metadata: its instruments (from the MIDI programs),
/// its tempo (from the file's tempo), its key's mode and meter (from the file's signatures) and
/// how many parts play. The instruments a caption names are the ones that play most, since its
/// shapes say so ("steered mostly by", "out front", "gets the spotlight").
///
/// `Wording.trainingWords` states the same facts of the same shapes in the training vocabulary's
/// own words (tag names), a diagnostic that separates the two halves of the gap: words the model
/// never read, and music it never heard.
public enum OutOfWorldCaptioner {
    /// What a caption may say about a clip.
    public struct Facts: Sendable, Equatable {
        /// Most prominent first (``OutOfWorldCorpus`` orders them by how much each plays).
        public var instruments: [Instrument]
        public var tempo: Double
        /// nil when the file has no key signature.
        public var minor: Bool?
        public var beatsPerBar: Int

        init(instruments: [Instrument], tempo: Double, minor: Bool?, beatsPerBar: Int) {
            self.instruments = instruments
            self.tempo = tempo
            self.minor = minor
            self.beatsPerBar = beatsPerBar
        }

        /// The facts of a composed or arranged clip: its instruments by prominence, tempo, mode and meter.
        public init(_ arrangement: Arrangement) {
            self.init(instruments: arrangement.instrumentsByProminence, tempo: arrangement.tempo,
                      minor: arrangement.mode == .minor, beatsPerBar: arrangement.beatsPerBar)
        }
    }

    /// Whose words a caption uses.
    public enum Wording: Sendable {
        /// The out-of-world phrase book, which shares no content word with training texts.
        case phraseBook
        /// The facts the training vocabulary has tags for (instruments, tempo, the mood of a scene,
        /// triple or quadruple meter) in its tag names; size and mode, which training has no tags
        /// for, are left out.
        case trainingWords
    }

    /// One or two captions (60/40), each from a different shape.
    public static func captions(for facts: Facts, wording: Wording = .phraseBook, using generator: inout SeededGenerator) -> [String] {
        let count = generator.chance(0.6) ? 1 : 2
        let shapes = generator.permutation(shapeCount)
        return shapes.prefix(count).map { caption(shape: $0, facts: facts, wording: wording, using: &generator) }
    }

    static let shapeCount = 8

    static func caption(shape: Int, facts: Facts, wording: Wording = .phraseBook, using generator: inout SeededGenerator) -> String {
        precondition(!facts.instruments.isEmpty, "a clip has at least one instrument")
        let leading = facts.instruments[0]
        let runnerUp = facts.instruments.count > 1 ? facts.instruments[1] : nil
        let first = generator.pick(phrases(for: leading))
        let second = runnerUp.map { generator.pick(phrases(for: $0)) }
        let pace = generator.pick(paceWords(facts.tempo))
        let size = generator.pick(sizeWords(facts.instruments.count))
        let colour = facts.minor.map { $0 ? generator.pick(["minor-mode", "shaded in minor"]) : generator.pick(["major-mode", "sitting in major"]) }
        let noun = generator.pick(nouns)
        let scene = generator.pick(scenes(tempo: facts.tempo, minor: facts.minor))
        // Both wordings draw the same numbers, so a clip's later captions pick the same shapes and words.
        if case .trainingWords = wording {
            return TrainingWordsCaption(facts: facts, shape: shape).text
        }
        let pair = second.map { "\(first) and \($0)" } ?? first
        switch shape {
        case 0:
            return "\(capitalised(pace)) \(noun) steered mostly by \(pair)."
        case 1:
            return "\(capitalised(size)) \(noun); \(first) out front\(colour.map { ", \($0)" } ?? "")."
        case 2:
            return "Imagine \(scene): \(pace), \(pair)."
        case 3:
            return "\(capitalised(first)) over \(second ?? "almost nothing else"), \(pace) and \(colour ?? "unfussy")."
        case 4:
            return "a \(pace) little \(noun), \(size), mainly \(pair)"
        case 5:
            let meter = facts.beatsPerBar == 3 ? "counted in threes" : "counted in fours"
            return "\(capitalised(meter)), \(pace); \(pair)."
        case 6:
            return "Would fit \(scene). \(capitalised(first)) gets the spotlight."
        default:
            return "\(capitalised(colour ?? pace)) \(noun) for \(pair)\(second == nil ? " alone" : "")."
        }
    }

    static let nouns = ["cue", "ditty", "excerpt", "snippet", "theme", "vignette"]

    static func paceWords(_ tempo: Double) -> [String] {
        switch tempo {
        case ..<80: ["unhurried", "leisurely", "crawling"]
        case ..<110: ["walking-pace", "strolling", "ambling"]
        case ..<140: ["brisk", "sprightly", "nimble"]
        default: ["breakneck", "galloping", "headlong"]
        }
    }

    static func sizeWords(_ count: Int) -> [String] {
        switch count {
        case ...2: ["bare-bones", "spare duo-sized"]
        case 3...4: ["modest combo", "smallish combo"]
        default: ["crowded arrangement", "busy, many-layered affair"]
        }
    }

    static func scenes(tempo: Double, minor: Bool?) -> [String] {
        switch (tempo >= 110, minor ?? false) {
        case (true, false): ["a model-railway layout humming along", "a cartoon getaway", "a sunlit fairground"]
        case (true, true): ["a midnight pursuit through alleys", "a stormy crossing", "a countdown clock"]
        case (false, false): ["a drowsy harbour afternoon", "a village fete", "a picnic by the canal"]
        case (false, true): ["a foggy station platform", "an abandoned lighthouse", "a candle guttering"]
        }
    }

    /// Noun phrases for an instrument, in words training never uses.
    static func phrases(for instrument: Instrument) -> [String] {
        switch instrument {
        case .piano: ["pianoforte", "the ivories"]
        case .electricPiano: ["tine-struck keyboard", "a suitcase keyboard"]
        case .harpsichord, .clavinet: ["quill-picked keyboard", "plectrum keyboard"]
        case .organ: ["tonewheel console", "a wheezing console"]
        case .accordion, .harmonica: ["squeezy bellows", "reedy bellows"]
        case .acousticGuitar, .banjo: ["a parlour flattop", "fingerpicked flattop"]
        case .electricGuitar: ["a solid-body axe", "twangy solid-body axe"]
        case .distortedGuitar: ["a fuzzbox axe", "snarling amplifier"]
        case .bass: ["the bottom register", "a four-stringer"]
        case .strings, .pizzicatoStrings: ["massed bows", "a bank of bows"]
        case .violin, .viola: ["a bowed soloist", "bow and fingerboard"]
        case .cello: ["a gruff bowed growl", "the burly bowed growl"]
        case .flute, .piccolo, .recorder, .panFlute, .tinWhistle, .shakuhachi: ["breathy blowing", "a silvery blown strain"]
        case .clarinet, .oboe, .bassoon, .saxophone, .bagpipe: ["a reedy soloist", "honking reedwork"]
        case .trumpet, .trombone, .tuba, .frenchHorn, .brassSection: ["brassy blasts", "bugle fanfares"]
        case .synthLead: ["a buzzsaw oscillator whine", "bleepy oscillator"]
        case .synthPad, .synthEffects: ["an oscillator wash", "whooshing oscillators"]
        case .choir: ["wordless ahhs", "a chorale of ahhs"]
        case .harp, .koto, .sitar, .shamisen: ["twangy plucking", "a plink-and-twang plucking"]
        case .vibraphone, .marimba, .xylophone, .glockenspiel, .celesta, .musicBox, .tubularBells, .kalimba, .steelDrums:
            ["a chiming metallophone", "plinking idiophones"]
        case .drums, .drumMachine, .timpani, .taikoDrums, .orchestraHit: ["thwacking skins", "a thumping backbeat"]
        case .oceanWaves, .birdsong: ["outdoor ambience", "field ambience"]
        }
    }

    /// Every content word the phrase book can write (captions of a grid of facts), as `words(_:)`
    /// normalises them; training texts must use none of them.
    public static let phraseBookWords: Set<String> = {
        var words = Set<String>()
        var generator = SeededGenerator(seed: 1)
        for tempo in [60.0, 100, 120, 160] {
            for minor in [nil, true, false] as [Bool?] {
                for (index, instrument) in Instrument.allCases.enumerated() {
                    let other = Instrument.allCases[(index + 1) % Instrument.allCases.count]
                    for count in [1, 2, 4, 6] {
                        let facts = Facts(instruments: count == 1 ? [instrument] : [instrument, other], tempo: tempo, minor: minor,
                                          beatsPerBar: count == 4 ? 3 : 4)
                        for shape in 0..<shapeCount {
                            words.formUnion(Self.words(caption(shape: shape, facts: facts, using: &generator)))
                        }
                        words.formUnion(Self.words(sizeWords(count).joined(separator: " ")))
                    }
                    words.formUnion(Self.words(phrases(for: instrument).joined(separator: " ")))
                }
                words.formUnion(Self.words((paceWords(tempo) + scenes(tempo: tempo, minor: minor) + nouns).joined(separator: " ")))
            }
        }
        return words.subtracting(functionWords)
    }()

    /// Function words the phrase book shares with any English text.
    public static let functionWords: Set<String> = ["a", "an", "the", "and", "with", "of", "in", "on", "for", "to", "by", "over", "at", "some"]

    /// Words of a text, lower-cased, split at anything but letters, digits, `&` and `'`, with a
    /// plural `s` dropped ("bows" and "bow" are one word).
    public static func words(_ text: String) -> Set<String> {
        let tokens = text.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "&" || $0 == "'") }
        return Set(tokens.map { token in
            var word = String(token)
            if word.count > 3, word.hasSuffix("s"), !word.hasSuffix("ss") { word.removeLast() }
            return word
        })
    }

    static func capitalised(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }
}
