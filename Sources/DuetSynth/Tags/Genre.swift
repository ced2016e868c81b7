/// A genre tag of the synthetic corpus. The raw value is the canonical tag string that the data
/// pipeline (TextSwap dictionary, caption templates) uses verbatim.
public enum Genre: String, CaseIterable, Sendable, Codable, Comparable {
    case rock, pop, jazz, blues, funk, classical, electronic, ambient, folk, latin, reggae, metal
    case hipHop = "hip hop"
    case country

    public static func < (lhs: Genre, rhs: Genre) -> Bool { lhs.order < rhs.order }

    private var order: Int { Genre.allCases.firstIndex(of: self) ?? 0 }
}
