/// A mood tag of the synthetic corpus; the raw value is the canonical tag string.
public enum Mood: String, CaseIterable, Sendable, Codable, Comparable {
    case happy, sad, calm, energetic, dark, romantic, tense, uplifting, melancholic, playful

    public static func < (lhs: Mood, rhs: Mood) -> Bool { lhs.order < rhs.order }

    private var order: Int { Mood.allCases.firstIndex(of: self) ?? 0 }
}
