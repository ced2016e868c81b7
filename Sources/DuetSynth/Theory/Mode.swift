/// The mode of a clip: the scale its melodies use and the quality of its tonic chord.
public enum Mode: String, Sendable, Codable, CaseIterable {
    case major, minor

    /// Semitone offsets of the seven scale degrees above the tonic (natural minor for `minor`).
    public var scale: [Int] {
        switch self {
        case .major: [0, 2, 4, 5, 7, 9, 11]
        case .minor: [0, 2, 3, 5, 7, 8, 10]
        }
    }
}
