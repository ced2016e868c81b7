/// A mood tag of the synthetic corpus; the raw value is the canonical tag string.
///
/// The first ten are the core moods; the others each have a core `family` mood that decides
/// which moods they combine with and how listeners describe them, and their own musical profile
/// (`MoodProfile`).
public enum Mood: String, CaseIterable, Sendable, Codable, Comparable {
    case happy, sad, calm, energetic, dark, romantic, tense, uplifting, melancholic, playful
    case aggressive, epic, mysterious, dreamy, peaceful, hopeful, nostalgic, angry, groovy, sensual
    case humorous, spooky, solemn, majestic, carefree, sentimental, hypnotic, heroic, gentle, meditative

    public static func < (lhs: Mood, rhs: Mood) -> Bool { lhs.order < rhs.order }

    private var order: Int { Mood.allCases.firstIndex(of: self) ?? 0 }

    /// The core mood this one is closest to (itself for the ten core moods).
    public var family: Mood {
        switch self {
        case .happy, .sad, .calm, .energetic, .dark, .romantic, .tense, .uplifting, .melancholic, .playful: self
        case .aggressive, .angry: .energetic
        case .epic, .heroic, .majestic, .hopeful: .uplifting
        case .mysterious, .spooky: .tense
        case .dreamy, .peaceful, .meditative, .gentle, .hypnotic: .calm
        case .nostalgic, .sentimental: .melancholic
        case .groovy, .carefree: .happy
        case .sensual: .romantic
        case .humorous: .playful
        case .solemn: .sad
        }
    }
}
