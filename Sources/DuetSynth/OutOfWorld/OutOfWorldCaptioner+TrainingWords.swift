extension OutOfWorldCaptioner {
    /// A caption of ``Wording/trainingWords``: the facts one phrase-book shape states, listed in the
    /// training vocabulary's tag names ("Piano and bass, fast, happy.").
    struct TrainingWordsCaption {
        var facts: Facts
        var shape: Int

        /// What each shape states, in the shape's order.
        enum Fact { case leadingInstrument, leadingPair, leadingTwo, pace, sceneMood, meter }

        var statedFacts: [Fact] {
            switch shape {
            case 0: [.pace, .leadingPair]
            case 1: [.leadingInstrument]  // size and mode: no training tag
            case 2: [.sceneMood, .pace, .leadingPair]
            case 3: [.leadingTwo, .pace]  // mode: no training tag
            case 4: [.pace, .leadingPair]  // size: no training tag
            case 5: [.meter, .pace, .leadingPair]
            case 6: [.sceneMood, .leadingInstrument]
            default: facts.minor == nil ? [.pace, .leadingPair] : [.leadingPair]  // the mode, when known, replaces the pace
            }
        }

        var text: String {
            let names = facts.instruments.prefix(2).map(\.rawValue)
            let phrases = statedFacts.map { fact -> String in
                switch fact {
                case .leadingInstrument: names[0]
                case .leadingPair, .leadingTwo: names.joined(separator: " and ")
                case .pace: SynthVocabulary.tempoTag(facts.tempo)
                case .sceneMood: Self.sceneMood(tempo: facts.tempo, minor: facts.minor).rawValue
                case .meter: facts.beatsPerBar == 3 ? "triple meter" : "quadruple meter"
                }
            }
            return capitalised(phrases.joined(separator: ", ")) + "."
        }

        /// The mood tag of each group of ``OutOfWorldCaptioner/scenes(tempo:minor:)``.
        static func sceneMood(tempo: Double, minor: Bool?) -> Mood {
            switch (tempo >= 110, minor ?? false) {
            case (true, false): .happy
            case (true, true): .tense
            case (false, false): .peaceful
            case (false, true): .melancholic
            }
        }
    }
}
