/// The wider set of sentence patterns of the offline captioner, for views that have genres,
/// moods and instruments: scenes and uses ("perfect for a spin class"), comparisons ("if you like
/// jazz, try ..."), tag-list shapes in any order, and many framings of the same facts. Together
/// with the nine core patterns of ``CaptionGenerator`` there are 63.
///
/// A pattern is a template with `{M}` (the moods), `{G}` (the genres), `{I}` (the instruments),
/// `{N}` (a noun such as "tune"), `{S}` (a scene chosen from the first mood) and `{a}` (the
/// indefinite article of the word that follows). Templates contain no descriptor words of their
/// own, so ``CaptionCheck`` still sees exactly the view's tags.
enum CaptionPatterns {
    static let templates: [String] = [
        "{M} {G} with {I}, perfect for {S}",
        "{a} {G} {N} that feels {M}, played on {I}",
        "sounds like {a} {M} {G} {N} built on {I}",
        "this {M} {G} {N} is all about {I}",
        "{M}, {G}, {I}",
        "{I}; {G}; {M}",
        "{G}, {I}, {M}",
        "if you like {G}, try this {M} {N} with {I}",
        "{M} {G} music for {S}, played on {I}",
        "instrumental {G}: {M}, with {I}",
        "{a} {N} mixing {G} and {M} moods, featuring {I}",
        "think {G}, but {M}, with {I}",
        "{a} {M} {N} in the {G} tradition, scored for {I}",
        "{G} {N}. mood: {M}. instruments: {I}",
        "great for {S}: {a} {M} {G} {N} with {I}",
        "{I} playing {a} {M} {G} {N}",
        "{a} {M} take on {G}, with {I}",
        "{G} with {a} {M} feel and {I}",
        "{M} and {G}, built around {I}",
        "a playlist pick for {S}: {M} {G} featuring {I}",
        "{a} {N} for {S}, {M} {G} with {I}",
        "{I} set {a} {M} atmosphere in this {G} {N}",
        "{a} {M} {G} instrumental where {I} shine",
        "{G}-style {N}, {M}, with {I}",
        "{I} in {a} {M} {G} setting",
        "background music for {S}: {M} {G} with {I}",
        "{M} {G} that suits {S}, featuring {I}",
        "the kind of {M} {G} {N} you'd put on for {S}, with {I}",
        "{a} {M}-sounding {G} {N} with {I}",
        "{G} meets {M}: {I}",
        "pure {G}: {M} and full of {I}",
        "{a} {G} {N}, {M} in tone, with {I}",
        "{M} vibes, {G} roots and {I}",
        "{I} over {a} {M} {G} backing",
        "{a} {N} of {M} {G} led by {I}",
        "expect {I} and {a} {M}, {G} flavour",
        "{G} instrumental with {I}; it sets {a} {M} scene",
        "{I} take turns in this {M} {G} {N}",
        "{a} {M} {G} cut with {I}",
        "in the mood for something {M}? this {G} {N} with {I} does the job",
        "{G}, {M} and {I}: ideal for {S}",
        "{M} {G} recorded with {I}",
        "{a} {N} that blends {G} with {I}, {M} throughout",
        "{I} and {G} in {a} {M} {N}",
        "for fans of {G}: {a} {M} {N} with {I}",
        "{a} {M} {G} jam featuring {I}",
        "{a} {G} number with {I} that sounds {M}",
        "{M} from start to finish: {G} with {I}",
        "{a} {G} instrumental, {M}, with {I} on top",
        "{I} with {a} {M} {G} touch",
        "{G} for {S}: {M}, with {I}",
        "{I} throughout, {G} in style, {M} in mood",
        "{M} {G}, rich in {I}",
        "made for {S}: {a} {M} {G} {N} on {I}",
    ]

    /// Scenes and uses that suit a mood (keyed by canonical mood tag; others get `generalScenes`).
    static let scenes: [String: [String]] = [
        "happy": ["a summer barbecue", "a birthday video"], "sad": ["a rainy evening at home", "saying goodbye"],
        "calm": ["reading a book", "a quiet evening"], "energetic": ["a workout playlist", "a spin class"],
        "dark": ["a crime drama", "a night-time city drive"], "romantic": ["an anniversary dinner", "a proposal video"],
        "tense": ["a chase sequence", "an escape room"], "uplifting": ["a product launch video", "reaching the finish"],
        "melancholic": ["an autumn walk", "a rainy window seat"], "playful": ["a puppet show", "a toy commercial"],
        "aggressive": ["a boxing montage", "a combat game"], "epic": ["a movie trailer", "a battle scene"],
        "mysterious": ["a detective story", "a museum at night"], "dreamy": ["stargazing", "a hazy summer memory"],
        "peaceful": ["a yoga session", "a garden morning"], "hopeful": ["a new year's video", "a charity appeal"],
        "nostalgic": ["a home video montage", "an old photo album"], "angry": ["a protest video", "a fight scene"],
        "groovy": ["a dance floor", "a roller rink"], "sensual": ["a candlelit evening", "a perfume advert"],
        "humorous": ["a comedy sketch", "a blooper reel"], "spooky": ["a halloween party", "a ghost story"],
        "solemn": ["a memorial service", "a remembrance day"], "majestic": ["a royal procession", "a coronation scene"],
        "carefree": ["a beach holiday", "a road trip with friends"], "sentimental": ["a wedding slideshow", "a farewell speech"],
        "hypnotic": ["a late-night coding session", "a light show"], "heroic": ["a superhero film", "a victory lap"],
        "gentle": ["a baby's nursery", "a bedtime story"], "meditative": ["a breathing exercise", "a temple garden"],
    ]
    static let generalScenes = ["a playlist", "a video", "background listening"]

    /// The template rendered with the given phrases (lists already joined).
    static func render(_ template: String, moods: String, genres: String, instruments: String, noun: String, scene: String) -> String {
        var text = template
            .replacingOccurrences(of: "{M}", with: moods).replacingOccurrences(of: "{G}", with: genres)
            .replacingOccurrences(of: "{I}", with: instruments).replacingOccurrences(of: "{N}", with: noun)
            .replacingOccurrences(of: "{S}", with: scene)
        while let marker = text.range(of: "{a} ") {
            let next = text[marker.upperBound...].split(separator: " ").first.map(String.init) ?? ""
            text.replaceSubrange(marker, with: EnglishGrammar.indefiniteArticle(for: next) + " ")
        }
        return text
    }
}
