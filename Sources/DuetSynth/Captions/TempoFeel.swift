/// How fast a clip feels to a listener, as the held-out captions describe it: five bands of
/// beats per minute (below 60, 60 to 80, 80 to 105, 105 to 135, from 135). They are finer than
/// the manifest's `tempo` tags, which training captions use.
public enum TempoFeel: CaseIterable, Sendable {
    case verySlow, slow, moderate, brisk, fast

    public init(beatsPerMinute tempo: Double) {
        switch tempo {
        case ..<60: self = .verySlow
        case ..<80: self = .slow
        case ..<105: self = .moderate
        case ..<135: self = .brisk
        default: self = .fast
        }
    }
}
