/// How a mood is made audible: mode, tempo, dynamics, register, articulation, density, contour.
public struct MoodProfile: Sendable, Equatable {
    /// Required mode, or nil when the mood works in either.
    public var mode: Mode?
    /// Where in the genre's tempo range the clip sits: -1 bottom, 0 middle, +1 top.
    public var tempoBias: Double
    /// Target loudness 0...1: scales velocities and the rendered level.
    public var dynamics: Double
    /// Semitones added to melodic and harmonic registers (dark is low, uplifting is high).
    public var registerShift: Int
    /// Fraction of the written length a melodic note sounds (0.45 staccato ... 1.0 legato).
    public var articulation: Double
    /// Relative note density of melodies and fills (0.5 sparse ... 1.5 busy).
    public var density: Double
    /// Melodic contour tendency: -1 falling, 0 arch, +1 rising.
    public var contour: Int
    /// Whether the harmony gets a dissonant colour (diminished passing chords, minor-second clusters).
    public var dissonant: Bool

    public static func profile(for mood: Mood) -> MoodProfile {
        switch mood {
        case .happy: MoodProfile(mode: .major, tempoBias: 0.5, dynamics: 0.75, registerShift: 5, articulation: 0.7, density: 1.1, contour: 0, dissonant: false)
        case .sad: MoodProfile(mode: .minor, tempoBias: -0.9, dynamics: 0.4, registerShift: -3, articulation: 1.0, density: 0.6, contour: -1, dissonant: false)
        case .calm: MoodProfile(mode: nil, tempoBias: -0.8, dynamics: 0.35, registerShift: 0, articulation: 1.0, density: 0.5, contour: 0, dissonant: false)
        case .energetic: MoodProfile(mode: nil, tempoBias: 0.9, dynamics: 1.0, registerShift: 0, articulation: 0.75, density: 1.5, contour: 0, dissonant: false)
        case .dark: MoodProfile(mode: .minor, tempoBias: 0, dynamics: 0.7, registerShift: -12, articulation: 0.9, density: 0.9, contour: -1, dissonant: true)
        case .romantic: MoodProfile(mode: .major, tempoBias: -0.5, dynamics: 0.5, registerShift: 0, articulation: 1.0, density: 0.8, contour: 0, dissonant: false)
        case .tense: MoodProfile(mode: .minor, tempoBias: 0.4, dynamics: 0.8, registerShift: -5, articulation: 0.5, density: 1.3, contour: 0, dissonant: true)
        case .uplifting: MoodProfile(mode: .major, tempoBias: 0.4, dynamics: 0.85, registerShift: 7, articulation: 0.9, density: 1.0, contour: 1, dissonant: false)
        case .melancholic: MoodProfile(mode: .minor, tempoBias: -0.5, dynamics: 0.5, registerShift: 0, articulation: 1.0, density: 0.7, contour: -1, dissonant: false)
        case .playful: MoodProfile(mode: .major, tempoBias: 0.5, dynamics: 0.7, registerShift: 7, articulation: 0.45, density: 1.2, contour: 0, dissonant: false)
        case .aggressive: MoodProfile(mode: .minor, tempoBias: 1.0, dynamics: 1.0, registerShift: -7, articulation: 0.55, density: 1.5, contour: 0, dissonant: true)
        case .epic: MoodProfile(mode: nil, tempoBias: 0.1, dynamics: 0.95, registerShift: 0, articulation: 1.0, density: 1.1, contour: 1, dissonant: false)
        case .mysterious: MoodProfile(mode: .minor, tempoBias: -0.4, dynamics: 0.45, registerShift: 3, articulation: 0.8, density: 0.7, contour: 0, dissonant: true)
        case .dreamy: MoodProfile(mode: .major, tempoBias: -0.6, dynamics: 0.4, registerShift: 7, articulation: 1.0, density: 0.6, contour: 1, dissonant: false)
        case .peaceful: MoodProfile(mode: .major, tempoBias: -0.9, dynamics: 0.3, registerShift: 2, articulation: 1.0, density: 0.45, contour: 0, dissonant: false)
        case .hopeful: MoodProfile(mode: .major, tempoBias: 0.0, dynamics: 0.6, registerShift: 5, articulation: 0.95, density: 0.9, contour: 1, dissonant: false)
        case .nostalgic: MoodProfile(mode: nil, tempoBias: -0.3, dynamics: 0.5, registerShift: 0, articulation: 0.95, density: 0.8, contour: -1, dissonant: false)
        case .angry: MoodProfile(mode: .minor, tempoBias: 0.8, dynamics: 1.0, registerShift: -9, articulation: 0.5, density: 1.4, contour: -1, dissonant: true)
        case .groovy: MoodProfile(mode: nil, tempoBias: 0.2, dynamics: 0.75, registerShift: 0, articulation: 0.6, density: 1.25, contour: 0, dissonant: false)
        case .sensual: MoodProfile(mode: nil, tempoBias: -0.6, dynamics: 0.5, registerShift: -2, articulation: 1.0, density: 0.75, contour: 0, dissonant: false)
        case .humorous: MoodProfile(mode: .major, tempoBias: 0.6, dynamics: 0.7, registerShift: 9, articulation: 0.4, density: 1.2, contour: 1, dissonant: false)
        case .spooky: MoodProfile(mode: .minor, tempoBias: -0.5, dynamics: 0.5, registerShift: -4, articulation: 0.6, density: 0.7, contour: -1, dissonant: true)
        case .solemn: MoodProfile(mode: .minor, tempoBias: -1.0, dynamics: 0.45, registerShift: -5, articulation: 1.0, density: 0.5, contour: -1, dissonant: false)
        case .majestic: MoodProfile(mode: .major, tempoBias: -0.3, dynamics: 0.9, registerShift: -2, articulation: 1.0, density: 0.9, contour: 1, dissonant: false)
        case .carefree: MoodProfile(mode: .major, tempoBias: 0.4, dynamics: 0.65, registerShift: 4, articulation: 0.7, density: 1.0, contour: 0, dissonant: false)
        case .sentimental: MoodProfile(mode: .major, tempoBias: -0.6, dynamics: 0.45, registerShift: 0, articulation: 1.0, density: 0.7, contour: -1, dissonant: false)
        case .hypnotic: MoodProfile(mode: nil, tempoBias: 0.0, dynamics: 0.55, registerShift: 0, articulation: 0.7, density: 1.3, contour: 0, dissonant: false)
        case .heroic: MoodProfile(mode: .major, tempoBias: 0.5, dynamics: 0.95, registerShift: 0, articulation: 0.8, density: 1.1, contour: 1, dissonant: false)
        case .gentle: MoodProfile(mode: .major, tempoBias: -0.7, dynamics: 0.3, registerShift: 3, articulation: 1.0, density: 0.55, contour: 0, dissonant: false)
        case .meditative: MoodProfile(mode: nil, tempoBias: -1.0, dynamics: 0.3, registerShift: 0, articulation: 1.0, density: 0.4, contour: 0, dissonant: false)
        }
    }

    /// The combined profile of several moods (modes never conflict among compatible moods).
    public static func combined(_ moods: [Mood]) -> MoodProfile {
        precondition(!moods.isEmpty, "a clip needs at least one mood")
        let profiles = moods.map(profile(for:))
        let count = Double(profiles.count)
        return MoodProfile(
            mode: profiles.compactMap(\.mode).first,
            tempoBias: profiles.map(\.tempoBias).reduce(0, +) / count,
            dynamics: profiles.map(\.dynamics).reduce(0, +) / count,
            registerShift: profiles.map(\.registerShift).reduce(0, +) / profiles.count,
            articulation: profiles.map(\.articulation).min() ?? 1,
            density: profiles.map(\.density).reduce(0, +) / count,
            contour: profiles.map(\.contour).reduce(0, +).signum(),
            dissonant: profiles.contains { $0.dissonant })
    }

    /// Mood pairs that a tagger would give the same clip (symmetric); all others never co-occur.
    public static let compatiblePairs: Set<[Mood]> = {
        let pairs: [(Mood, Mood)] = [
            (.happy, .energetic), (.happy, .playful), (.happy, .uplifting), (.happy, .romantic),
            (.sad, .melancholic), (.sad, .calm), (.sad, .dark), (.sad, .romantic),
            (.calm, .romantic), (.calm, .melancholic), (.calm, .dark),
            (.energetic, .uplifting), (.energetic, .playful), (.energetic, .tense), (.energetic, .dark),
            (.dark, .tense), (.dark, .melancholic), (.tense, .melancholic),
            (.uplifting, .romantic), (.playful, .uplifting), (.romantic, .melancholic),
        ]
        return Set(pairs.flatMap { [[$0.0, $0.1], [$0.1, $0.0]] })
    }()

    /// Whether `mood` can join `moods` on one clip: its core family is the same as, or compatible
    /// with, each other mood's family, the modes agree, and no tempo clash (calm and energetic
    /// families never meet).
    public static func isCompatible(_ mood: Mood, with moods: [Mood]) -> Bool {
        moods.allSatisfy { $0.family == mood.family || compatiblePairs.contains([mood.family, $0.family]) }
            && Set((moods + [mood]).compactMap { profile(for: $0).mode }).count <= 1
    }
}
