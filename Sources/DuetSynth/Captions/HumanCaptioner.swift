import DuetRandom

/// Writes held-out captions in the way listeners describe music (as in Song Describer or
/// MusicCaps): partial, subjective, sometimes naming a scene or a use, sometimes the tempo feel.
///
/// It is deliberately separate from any tag-to-caption template of the training pipeline: its
/// own phrase lists (genres appear as adjectives or nouns like "bluesy", "headbanger", "beat for
/// rapping over" rather than bare tag labels), its own twelve sentence shapes, mixed case and
/// punctuation. Every caption mentions at least two true attributes of the clip (from its tags,
/// its lead instrument or its tempo) and nothing the clip does not have. See `Docs/synth.md`.
public enum HumanCaptioner {
    /// One to three captions (40 % one, 40 % two, 20 % three), each from a different sentence shape.
    public static func captions(for arrangement: Arrangement, using generator: inout SeededGenerator) -> [String] {
        let count = generator.weighted([(1, 0.4), (2, 0.4), (3, 0.2)]) ?? 1
        // A clip without moods (a human-written tune) takes only the shapes that name none.
        let shapes = arrangement.tags.moods.isEmpty ? generator.shuffle(moodFreeShapes) : generator.permutation(shapeCount)
        return shapes.prefix(count).map { caption(shape: $0, arrangement: arrangement, using: &generator) }
    }

    /// "A minor", "Eb major": the key name recorded in the manifest metadata.
    public static func keyName(_ arrangement: Arrangement) -> String {
        let names = ["C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
        return "\(names[arrangement.tonic]) \(arrangement.mode.rawValue)"
    }

    static let shapeCount = 12
    /// The shapes that mention no mood, scene or activity: "A folk song, briskly paced. Nice violin."
    static let moodFreeShapes = [3, 9]

    /// A noun phrase without its determiner, and whether it is plural ("crunchy guitars").
    struct Phrase {
        var text: String
        var plural: Bool = false
        /// Mass nouns take "some" rather than "a" ("some piano").
        var mass: Bool = false

        var indefinite: String {
            if plural || mass { return "some \(text)" }
            return "\(HumanCaptioner.article(text)) \(text)"
        }

        var definite: String { "the \(text)" }
        var standsOut: String { plural ? "stand out" : "stands out" }
    }

    static func caption(shape: Int, arrangement: Arrangement, using generator: inout SeededGenerator) -> String {
        let tags = arrangement.tags
        let genre = generator.pick(tags.genres)
        // Without moods the draws that depend on one are skipped; shapes 3 and 9 use none of them.
        let mood = tags.moods.isEmpty ? nil : generator.pick(tags.moods)
        let otherMood = tags.moods.count > 1 ? generator.pick(tags.moods.filter { $0 != mood }) : nil
        let lead = arrangement.tracks.first { $0.role == .lead }?.instrument ?? generator.pick(tags.instruments)
        let others = tags.instruments.filter { $0 != lead }
        let second = others.isEmpty ? nil : generator.pick(others)
        let hasDrums = tags.instruments.contains(.drums)
        let genreNoun = generator.pick(genreNouns(genre, hasDrums: hasDrums))
        let genreAdjective = generator.pick(genreAdjectives(genre))
        let moodText = mood.map { generator.pick(moodWords($0)) } ?? ""
        let otherMoodText = otherMood.map { generator.pick(moodWords($0)) }
        let leadPhrase = generator.pick(instrumentPhrases(lead))
        let secondPhrase = second.map { generator.pick(instrumentPhrases($0)) }
        let tempoText = generator.pick(tempoWords(arrangement.tempo, meter: arrangement.beatsPerBar))
        let setting = mood.map { generator.pick(settings(mood: $0, genre: genre)) } ?? ""
        let activity = mood.map { generator.pick(activities(mood: $0, genre: genre)) } ?? ""
        switch shape {
        case 0:
            let with = secondPhrase.map { " with \(leadPhrase.indefinite) and \($0.indefinite)" } ?? " with \(leadPhrase.indefinite)"
            return capitalised("\(article(moodText)) \(moodText) \(genreNoun)\(with).")
        case 1:
            return "Sounds like something you'd hear in \(setting): \(genreAdjective), with \(leadPhrase.definite) carrying the tune."
        case 2:
            return "I'd put this on for \(activity) - \(moodText), \(tempoText), lots of \(leadPhrase.text)."
        case 3:
            return capitalised("\(article(genreNoun)) \(genreNoun), \(tempoText). Nice \(leadPhrase.text).")
        case 4:
            let under = secondPhrase.map { " over \($0.indefinite)" } ?? ""
            let moods = otherMoodText.map { "\(moodText) and \($0)" } ?? moodText
            return capitalised("\(leadPhrase.indefinite)\(under), feels \(moods).")
        case 5:
            let background = secondPhrase.map { " with \($0.indefinite) in the background" } ?? ""
            return "Really \(moodText) vibe, mostly \(leadPhrase.text)\(background)."
        case 6:
            return "not sure what to call it, something \(genreAdjective)? \(leadPhrase.definite) is nice and it's kind of \(moodText)"
        case 7:
            let moods = otherMoodText.map { "\(capitalised(moodText)) and \($0)" } ?? capitalised(moodText)
            return "\(moods), \(genreAdjective) instrumental. Would work for \(activity)."
        case 8:
            return "\(capitalised(leadPhrase.definite)) \(leadPhrase.standsOut). Overall \(moodText), \(tempoText)."
        case 9:
            return capitalised("\(article(tempoText)) \(tempoText) instrumental led by \(leadPhrase.indefinite), quite \(genreAdjective).")
        case 10:
            return "This feels like it belongs in \(setting). \(capitalised(moodText)), with \(leadPhrase.indefinite) up front."
        default:
            let withText = secondPhrase.map { "\(leadPhrase.indefinite) and \($0.indefinite)" } ?? leadPhrase.indefinite
            return "Short \(genreAdjective) clip with \(withText); a bit repetitive but \(moodText)."
        }
    }

    static func genreNouns(_ genre: Genre, hasDrums: Bool) -> [String] {
        switch genre {
        case .rock: ["rock tune", "guitar-driven rock tune", "rock track", "classic rock thing"]
        case .pop: ["pop song without vocals", "catchy pop instrumental", "radio-friendly pop tune"]
        case .jazz: ["jazzy tune", "small-combo jazz piece", "late night jazz number"]
        case .blues: ["bluesy number", "blues instrumental", "bar-room blues"]
        case .funk: ["funky groove", "funky jam", "seventies-style funk jam"]
        case .classical: ["classical piece", "chamber-style piece", "concert hall kind of piece"]
        case .electronic: hasDrums ? ["dance track", "club-style electronic track", "electronic tune"] : ["electronic tune", "electronic piece"]
        case .ambient: ["ambient piece", "atmospheric background piece", "drifting soundscape"]
        case .folk: ["folky tune", "folk song", "campfire-style folk song"]
        case .latin: ["latin tune", "latin groove", "bossa-flavoured tune"]
        case .reggae: ["reggae tune", "island groove", "reggae jam"]
        case .metal: ["metal track", "headbanger", "heavy metal riff-fest"]
        case .hipHop: ["hip hop beat", "boom bap instrumental", "beat for rapping over"]
        case .country: ["country tune", "country song", "little country number"]
        default: genre.heldOutNouns
        }
    }

    static func genreAdjectives(_ genre: Genre) -> [String] {
        switch genre {
        case .rock: ["rocky", "rock-ish"]
        case .pop: ["poppy", "pop-leaning"]
        case .jazz: ["jazzy", "jazz-club"]
        case .blues: ["bluesy", "blues-soaked"]
        case .funk: ["funky", "groovy funk"]
        case .classical: ["classical-sounding", "orchestral-ish"]
        case .electronic: ["electronic-ish", "computer-made"]
        case .ambient: ["ambient-ish", "spacey"]
        case .folk: ["folky", "folk-leaning"]
        case .latin: ["latin-flavoured", "latin-tinged"]
        case .reggae: ["reggae-ish", "island-style"]
        case .metal: ["metal-ish", "headbanging"]
        case .hipHop: ["hip hop-ish", "beat-tape"]
        case .country: ["country-ish", "twangy"]
        default: genre.heldOutAdjectives
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
        case .uplifting: ["triumphant", "soaring", "anthemic", "motivating"]
        case .melancholic: ["bittersweet", "blue", "longing", "reflective"]
        case .playful: ["bouncy", "goofy", "cheeky", "fun"]
        case .aggressive: ["ferocious", "in-your-face"]
        case .epic: ["huge-sounding", "larger-than-life"]
        case .mysterious: ["puzzling", "secretive"]
        case .dreamy: ["floaty", "head-in-the-clouds"]
        case .peaceful: ["still", "restful"]
        case .hopeful: ["looking-forward", "brightening"]
        case .nostalgic: ["throwback", "memory-lane"]
        case .angry: ["seething", "raging"]
        case .groovy: ["head-nodding", "foot-tapping"]
        case .sensual: ["steamy", "slinky"]
        case .humorous: ["silly", "jokey"]
        case .spooky: ["haunted-house", "ghostly"]
        case .solemn: ["grave", "churchy"]
        case .majestic: ["grandiose", "royal-sounding"]
        case .carefree: ["easy-breezy", "happy-go-lucky"]
        case .sentimental: ["mushy", "sappy"]
        case .hypnotic: ["looping", "spellbinding"]
        case .heroic: ["hero's-journey", "valorous"]
        case .gentle: ["hushed", "featherlight"]
        case .meditative: ["mindful", "inward-looking"]
        }
    }

    static func instrumentPhrases(_ instrument: Instrument) -> [Phrase] {
        switch instrument {
        case .drums: [Phrase(text: "drums", plural: true), Phrase(text: "steady drum beat"), Phrase(text: "live-sounding drums", plural: true)]
        case .bass: [Phrase(text: "bass", mass: true), Phrase(text: "bassline"), Phrase(text: "low end", mass: true)]
        case .piano: [Phrase(text: "piano", mass: true), Phrase(text: "piano part"), Phrase(text: "grand piano")]
        case .organ: [Phrase(text: "organ"), Phrase(text: "old-school organ sound")]
        case .acousticGuitar: [Phrase(text: "acoustic guitar"), Phrase(text: "unplugged guitar", mass: true)]
        case .electricGuitar: [Phrase(text: "electric guitar"), Phrase(text: "clean electric guitar"), Phrase(text: "clean guitar", mass: true)]
        case .distortedGuitar: [Phrase(text: "crunchy guitars", plural: true), Phrase(text: "heavy guitars", plural: true), Phrase(text: "fuzzy guitar riffs", plural: true)]
        case .strings: [Phrase(text: "string section"), Phrase(text: "lush strings", plural: true), Phrase(text: "orchestral strings", plural: true)]
        case .violin: [Phrase(text: "violin"), Phrase(text: "lone violin")]
        case .cello: [Phrase(text: "cello"), Phrase(text: "deep cello")]
        case .flute: [Phrase(text: "flute"), Phrase(text: "breathy flute")]
        case .clarinet: [Phrase(text: "clarinet"), Phrase(text: "woody clarinet")]
        case .saxophone: [Phrase(text: "saxophone"), Phrase(text: "smooth saxophone"), Phrase(text: "sax", mass: true)]
        case .trumpet: [Phrase(text: "trumpet"), Phrase(text: "bright trumpet")]
        case .synthLead: [Phrase(text: "synth melody"), Phrase(text: "buzzy synth line"), Phrase(text: "synth lead line")]
        case .synthPad: [Phrase(text: "synth pads", plural: true), Phrase(text: "warm synth textures", plural: true), Phrase(text: "washy synth", mass: true)]
        case .choir: [Phrase(text: "choir voices", plural: true), Phrase(text: "choir"), Phrase(text: "wordless voices", plural: true)]
        case .harp: [Phrase(text: "harp"), Phrase(text: "rippling harp", mass: true)]
        case .vibraphone: [Phrase(text: "vibraphone"), Phrase(text: "shimmering vibraphone")]
        case .electricPiano: [Phrase(text: "electric piano", mass: true), Phrase(text: "Rhodes-like keyboard"), Phrase(text: "electric keys", plural: true)]
        default: instrument.heldOutPhrases
        }
    }

    static func tempoWords(_ tempo: Double, meter: Int) -> [String] {
        var words: [String]
        switch TempoFeel(beatsPerMinute: tempo) {
        case .verySlow: words = ["very slow", "crawling"]
        case .slow: words = ["slow", "unhurried", "slow-moving"]
        case .moderate: words = ["mid-tempo", "steady-paced", "moderately paced"]
        case .brisk: words = ["medium-fast", "briskly paced", "fairly quick"]
        case .fast: words = ["fast", "quick", "racing"]
        }
        if meter == 3 { words.append("swaying in three") }
        return words
    }

    /// Places or media where the music could be heard ("Sounds like something you'd hear in ...").
    static func settings(mood: Mood, genre: Genre) -> [String] {
        var settings: [String]
        switch mood.family {
        case .happy: settings = ["a TV commercial", "a sitcom intro", "a summer ad"]
        case .sad: settings = ["a sad movie ending", "a breakup scene", "a drama's final episode"]
        case .calm: settings = ["a hotel lobby", "a spa", "a nature documentary"]
        case .energetic: settings = ["a car chase", "a sports highlight reel", "an action game"]
        case .dark: settings = ["a thriller", "a villain's entrance", "a video game boss fight"]
        case .romantic: settings = ["a wedding video", "a romantic comedy", "a love scene"]
        case .tense: settings = ["a heist movie", "a suspense scene", "a detective show"]
        case .uplifting: settings = ["a sports montage", "the end credits of a feel-good film", "a motivational video"]
        case .melancholic: settings = ["an indie film", "a rainy scene in a movie", "a flashback scene"]
        case .playful: settings = ["a cartoon", "a kids' show", "a quirky indie film"]
        default: settings = []
        }
        switch genre.family {
        case .jazz where [.calm, .romantic, .playful].contains(mood): settings.append("a cocktail bar")
        case .latin where [.happy, .romantic, .playful, .calm].contains(mood): settings.append("a beach bar")
        case .electronic where mood == .energetic: settings.append("a club at 2am")
        case .blues where [.sad, .melancholic].contains(mood): settings.append("a smoky bar")
        default: break
        }
        switch mood {
        case .spooky: settings.append("a haunted mansion game")
        case .epic, .heroic: settings.append("a fantasy film trailer")
        case .sensual: settings.append("a late-night lounge")
        default: break
        }
        return settings
    }

    /// Activities the music suits ("I'd put this on for ...").
    static func activities(mood: Mood, genre: Genre) -> [String] {
        var activities: [String]
        switch mood.family {
        case .happy: activities = ["a summer road trip", "a sunny morning", "tidying up on a Sunday"]
        case .sad: activities = ["a lonely night", "a long walk alone", "a rainy night in"]
        case .calm: activities = ["studying", "winding down before bed", "a rainy afternoon indoors"]
        case .energetic: activities = ["a workout", "a run", "the gym"]
        case .dark: activities = ["a late night drive", "a horror game session", "a night walk"]
        case .romantic: activities = ["a candlelit dinner", "a slow dance", "date night"]
        case .tense: activities = ["a puzzle game", "a late night deadline", "a tense board game night"]
        case .uplifting: activities = ["a morning run", "a graduation video", "starting the day"]
        case .melancholic: activities = ["a rainy day", "looking through old photos", "a long train ride"]
        case .playful: activities = ["a kids' party", "a silly video", "a sunny picnic"]
        default: activities = []
        }
        switch genre.family {
        case .country where [.happy, .uplifting, .calm].contains(mood): activities.append("a drive through the countryside")
        case .ambient where mood == .calm: activities.append("meditation")
        case .reggae where [.happy, .calm].contains(mood): activities.append("a lazy beach day")
        case .folk where [.calm, .happy].contains(mood): activities.append("an evening by the campfire")
        default: break
        }
        return activities
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
