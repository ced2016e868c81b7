import DuetTensor

/// Writes held-out captions in the way listeners describe music (as in Song Describer or
/// MusicCaps): partial, subjective, sometimes naming a scene or a use, sometimes the tempo feel.
///
/// It is deliberately separate from any tag-to-caption template of the training pipeline: its
/// own phrase lists (no canonical tag string is used as a bare label, and the vocabulary's
/// synonyms are avoided where people have other words), its own sentence shapes, mixed case and
/// punctuation. Every caption mentions at least two true attributes of the clip (from its tags,
/// its lead instrument or its tempo) and never anything the clip does not have. See `Docs/synth.md`.
public enum HumanCaptioner {
    /// One to three captions (40 % one, 40 % two, 20 % three), each from a different sentence shape.
    public static func captions(for arrangement: Arrangement, using generator: inout SeededGenerator) -> [String] {
        let count = generator.weighted([(1, 0.4), (2, 0.4), (3, 0.2)]) ?? 1
        var shapes = Array(0..<shapeCount)
        shapes.shuffle(using: &generator)
        return shapes.prefix(count).map { caption(shape: $0, arrangement: arrangement, using: &generator) }
    }

    /// "A minor", "E♭ major" style key name for the manifest metadata.
    public static func keyName(_ arrangement: Arrangement) -> String {
        let names = ["C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
        return "\(names[arrangement.tonic]) \(arrangement.mode.rawValue)"
    }

    static let shapeCount = 12

    static func caption(shape: Int, arrangement: Arrangement, using generator: inout SeededGenerator) -> String {
        let tags = arrangement.tags
        let genre = generator.pick(tags.genres)
        let mood = generator.pick(tags.moods)
        let otherMood = tags.moods.count > 1 ? generator.pick(tags.moods.filter { $0 != mood }) : nil
        let lead = arrangement.tracks.first { $0.role == .lead }?.instrument ?? generator.pick(tags.instruments)
        let others = tags.instruments.filter { $0 != lead }
        let second = others.isEmpty ? nil : generator.pick(others)
        let genreText = generator.pick(genrePhrases(genre, hasDrums: tags.instruments.contains(.drums)))
        let moodText = generator.pick(moodWords(mood))
        let otherMoodText = otherMood.map { generator.pick(moodWords($0)) }
        let leadText = generator.pick(instrumentPhrases(lead))
        let secondText = second.map { generator.pick(instrumentPhrases($0)) }
        let tempoText = generator.pick(tempoWords(arrangement.tempo, meter: arrangement.beatsPerBar))
        let scene = generator.pick(scenes(mood: mood, genre: genre))
        switch shape {
        case 0:
            let with = secondText.map { " with \(leadText) and \($0)" } ?? " with \(leadText)"
            return capitalised("\(article(moodText)) \(moodText) \(genreText)\(with).")
        case 1:
            return "Sounds like something you'd hear in \(scene). \(capitalised(leadText)) carries the tune."
        case 2:
            return "I'd put this on for \(scene) - it's \(moodText) and \(tempoText)."
        case 3:
            return capitalised("\(genreText), \(tempoText). Nice \(leadText.droppingArticle).")
        case 4:
            let under = secondText.map { " over \($0)" } ?? ""
            return capitalised("\(leadText)\(under), feels \(moodText)\(otherMoodText.map { " and a little \($0)" } ?? "").")
        case 5:
            let background = secondText.map { " with \($0) in the background" } ?? ""
            return "Really \(moodText) vibe, mostly \(leadText.droppingArticle)\(background)."
        case 6:
            return "not sure what to call it, maybe \(genreText.droppingArticle)? the \(leadText.droppingArticle) is nice and it's kind of \(moodText)"
        case 7:
            let moods = otherMoodText.map { "\(capitalised(moodText)) and \($0)" } ?? capitalised(moodText)
            return "\(moods) instrumental. Would work for \(scene)."
        case 8:
            return "The \(leadText.droppingArticle) stands out. Overall \(moodText), \(tempoText)."
        case 9:
            return capitalised("\(article(tempoText)) \(tempoText) instrumental led by \(leadText) - \(genreText.droppingArticle) feel.")
        case 10:
            return "This gives me \(scene) vibes, very \(moodText)."
        default:
            let withText = secondText.map { "\(leadText) and \($0)" } ?? leadText
            return "Short clip of \(genreText.droppingArticle) with \(withText); a bit repetitive but \(moodText)."
        }
    }

    static func genrePhrases(_ genre: Genre, hasDrums: Bool) -> [String] {
        switch genre {
        case .rock: ["rock tune", "guitar-driven rock", "rock track", "classic rock thing"]
        case .pop: ["pop song without vocals", "catchy pop instrumental", "radio-friendly pop"]
        case .jazz: ["jazzy tune", "small-combo jazz piece", "late night jazz"]
        case .blues: ["bluesy number", "blues instrumental", "bar-room blues"]
        case .funk: ["funky groove", "funky jam", "seventies-style funk"]
        case .classical: ["classical piece", "chamber-style piece", "concert hall kind of piece"]
        case .electronic: hasDrums ? ["dance track", "club-style electronic track", "electronic tune"] : ["electronic tune", "synthy electronic piece"]
        case .ambient: ["ambient piece", "atmospheric background piece", "drifting soundscape"]
        case .folk: ["folky tune", "folk song", "campfire-style folk"]
        case .latin: ["latin tune", "latin groove", "bossa-flavoured tune"]
        case .reggae: ["reggae tune", "island groove", "reggae jam"]
        case .metal: ["metal track", "headbanger", "heavy metal riff"]
        case .hipHop: ["hip hop beat", "boom bap instrumental", "beat for rapping over"]
        case .country: ["country tune", "country song", "little country number"]
        }
    }

    static func moodWords(_ mood: Mood) -> [String] {
        switch mood {
        case .happy: ["cheery", "sunny", "feel-good", "bright"]
        case .sad: ["sad", "heartbreaking", "downcast", "tearful"]
        case .calm: ["chill", "soothing", "mellow", "easygoing"]
        case .energetic: ["high-energy", "punchy", "pumping", "full of energy"]
        case .dark: ["brooding", "moody", "sinister", "shadowy"]
        case .romantic: ["dreamy", "sweet", "intimate", "lovey-dovey"]
        case .tense: ["nervy", "edgy", "on-edge", "restless"]
        case .uplifting: ["triumphant", "feel-good and soaring", "anthemic", "motivating"]
        case .melancholic: ["bittersweet", "a bit blue", "longing", "reflective"]
        case .playful: ["bouncy", "goofy", "cheeky", "fun"]
        }
    }

    static func instrumentPhrases(_ instrument: Instrument) -> [String] {
        switch instrument {
        case .drums: ["the drums", "a steady drum beat", "the drummer"]
        case .bass: ["the bass", "a bassline", "the low end"]
        case .piano: ["piano", "the piano", "some piano"]
        case .organ: ["an organ", "the organ", "an old-school organ sound"]
        case .acousticGuitar: ["acoustic guitar", "an acoustic guitar", "some unplugged guitar"]
        case .electricGuitar: ["electric guitar", "a clean electric guitar", "some clean guitar"]
        case .distortedGuitar: ["crunchy guitars", "heavy guitars", "fuzzy guitar riffs"]
        case .strings: ["a string section", "lush strings", "orchestral strings"]
        case .violin: ["a violin", "the violin", "a lone violin"]
        case .cello: ["a cello", "the cello", "a deep cello"]
        case .flute: ["a flute", "the flute", "a breathy flute"]
        case .clarinet: ["a clarinet", "the clarinet", "a woody clarinet"]
        case .saxophone: ["a saxophone", "the sax", "a smooth saxophone"]
        case .trumpet: ["a trumpet", "the trumpet", "a bright trumpet"]
        case .synthLead: ["a synth melody", "a buzzy synth line", "a synth lead line"]
        case .synthPad: ["synth pads", "warm synth textures", "a washy synth"]
        case .choir: ["choir voices", "a choir", "wordless voices"]
        case .harp: ["a harp", "the harp", "rippling harp"]
        case .vibraphone: ["a vibraphone", "the vibraphone", "a shimmering vibraphone"]
        case .electricPiano: ["electric piano", "a Rhodes-like keyboard", "some electric keys"]
        }
    }

    static func tempoWords(_ tempo: Double, meter: Int) -> [String] {
        var words: [String]
        switch tempo {
        case ..<80: words = ["slow", "unhurried", "slow-moving"]
        case ..<105: words = ["mid-tempo", "steady-paced", "moderately paced"]
        case ..<135: words = ["upbeat", "briskly paced", "moving along nicely"]
        default: words = ["fast", "quick", "racing"]
        }
        if meter == 3 { words.append("in a lilting three") }
        return words
    }

    static func scenes(mood: Mood, genre: Genre) -> [String] {
        var scenes: [String]
        switch mood {
        case .happy: scenes = ["a summer road trip", "a TV commercial", "a sunny morning"]
        case .sad: scenes = ["a breakup scene", "a lonely night", "a sad movie ending"]
        case .calm: scenes = ["studying", "a rainy afternoon indoors", "winding down before bed"]
        case .energetic: scenes = ["a workout", "a car chase", "the gym"]
        case .dark: scenes = ["a thriller", "a villain's entrance", "a video game boss fight"]
        case .romantic: scenes = ["a candlelit dinner", "a wedding video", "a slow dance"]
        case .tense: scenes = ["a heist movie", "a suspense scene", "a detective show"]
        case .uplifting: scenes = ["a sports montage", "the end credits of a feel-good film", "a motivational video"]
        case .melancholic: scenes = ["a rainy day", "looking through old photos", "a long train ride"]
        case .playful: scenes = ["a cartoon", "a kids' show", "a quirky indie film"]
        }
        switch genre {
        case .jazz where [.calm, .romantic, .playful].contains(mood): scenes.append("a cocktail bar")
        case .latin where [.happy, .romantic, .playful, .calm].contains(mood): scenes.append("a beach bar")
        case .country where [.happy, .uplifting, .calm].contains(mood): scenes.append("a drive through the countryside")
        case .electronic where mood == .energetic: scenes.append("a club at 2am")
        case .ambient where mood == .calm: scenes.append("meditation")
        case .reggae where [.happy, .calm].contains(mood): scenes.append("a lazy beach day")
        case .folk where [.calm, .happy].contains(mood): scenes.append("a campfire")
        default: break
        }
        return scenes
    }

    static func article(_ word: String) -> String {
        guard let first = word.lowercased().first else { return "a" }
        return "aeiou".contains(first) ? "an" : "a"
    }

    static func capitalised(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }
}

extension String {
    /// The phrase without a leading "a ", "an " or "the ".
    var droppingArticle: String {
        for prefix in ["a ", "an ", "the "] where hasPrefix(prefix) { return String(dropFirst(prefix.count)) }
        return self
    }
}
