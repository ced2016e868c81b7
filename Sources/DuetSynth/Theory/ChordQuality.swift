/// Chord qualities as semitone intervals above the root.
public enum ChordQuality: String, Sendable, Codable, CaseIterable {
    case major, minor, diminished, augmented
    case dominantSeventh, majorSeventh, minorSeventh, halfDiminished, diminishedSeventh
    case dominantNinth, minorNinth, majorNinth, sixth, minorSixth
    case suspendedSecond, suspendedFourth, addNine, power

    /// Chord tones above the root, in semitones, lowest first.
    public var intervals: [Int] {
        switch self {
        case .major: [0, 4, 7]
        case .minor: [0, 3, 7]
        case .diminished: [0, 3, 6]
        case .augmented: [0, 4, 8]
        case .dominantSeventh: [0, 4, 7, 10]
        case .majorSeventh: [0, 4, 7, 11]
        case .minorSeventh: [0, 3, 7, 10]
        case .halfDiminished: [0, 3, 6, 10]
        case .diminishedSeventh: [0, 3, 6, 9]
        case .dominantNinth: [0, 4, 7, 10, 14]
        case .minorNinth: [0, 3, 7, 10, 14]
        case .majorNinth: [0, 4, 7, 11, 14]
        case .sixth: [0, 4, 7, 9]
        case .minorSixth: [0, 3, 7, 9]
        case .suspendedSecond: [0, 2, 7]
        case .suspendedFourth: [0, 5, 7]
        case .addNine: [0, 4, 7, 14]
        case .power: [0, 7, 12]
        }
    }

    /// The interval of the chord's third (or its substitute in suspended and power chords).
    public var third: Int { intervals.count > 1 ? intervals[1] : 7 }

    /// Whether the chord has a minor third (minor, diminished and their sevenths).
    public var isMinor: Bool { intervals.contains(3) && !intervals.contains(4) }
}
