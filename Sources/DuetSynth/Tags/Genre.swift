/// A genre tag of the synthetic corpus. The raw value is the canonical tag string that the data
/// pipeline (TextSwap dictionary, caption templates) uses verbatim.
///
/// The first fourteen are the core families; the others are styles of a family (`family`) with
/// their own tempo, groove, harmony and instrumentation (`Genre+World.swift`).
public enum Genre: String, CaseIterable, Sendable, Codable, Comparable {
    case rock, pop, jazz, blues, funk, classical, electronic, ambient, folk, latin, reggae, metal
    case hipHop = "hip hop"
    case country
    // Popular
    case disco, soul
    case rhythmAndBlues = "r&b"
    case punk
    case indieRock = "indie rock"
    case surfRock = "surf rock"
    case gospel
    case lofi = "lo-fi"
    case trap
    // Folk
    case bluegrass, celtic, polka
    // Jazz
    case swing
    case bossaNova = "bossa nova"
    case smoothJazz = "smooth jazz"
    case jazzFusion = "jazz fusion"
    // Classical
    case baroque, cinematic, minimalism, march
    // Electronic
    case house, techno, trance
    case drumAndBass = "drum and bass"
    case synthwave, chiptune
    case tripHop = "trip hop"
    case newAge = "new age"
    case darkAmbient = "dark ambient"
    // World
    case salsa, tango, afrobeat, indian, flamenco, calypso, ska
    case eastAsian = "east asian"
    case childrens = "children's music"

    public static func < (lhs: Genre, rhs: Genre) -> Bool { lhs.order < rhs.order }

    private var order: Int { Genre.allCases.firstIndex(of: self) ?? 0 }

    /// The core genre this one is a style of (itself for the fourteen core genres).
    public var family: Genre {
        switch self {
        case .rock, .pop, .jazz, .blues, .funk, .classical, .electronic, .ambient, .folk, .latin, .reggae, .metal,
             .hipHop, .country: self
        case .disco, .rhythmAndBlues, .gospel, .childrens: .pop
        case .soul, .afrobeat: .funk
        case .punk, .indieRock, .surfRock: .rock
        case .lofi, .trap, .tripHop: .hipHop
        case .bluegrass: .country
        case .celtic, .polka, .indian, .eastAsian: .folk
        case .swing, .smoothJazz, .jazzFusion: .jazz
        case .bossaNova, .salsa, .tango, .flamenco: .latin
        case .baroque, .cinematic, .minimalism, .march: .classical
        case .house, .techno, .trance, .drumAndBass, .synthwave, .chiptune: .electronic
        case .newAge, .darkAmbient: .ambient
        case .calypso, .ska: .reggae
        }
    }
}
