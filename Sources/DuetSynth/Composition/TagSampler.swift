import DuetRandom

/// Draws the tags of a clip the way a real catalogue's labels are distributed: 1-2 genres
/// (pairs a catalogue uses), 1-3 mutually compatible moods the genres carry, and 2-6 instruments
/// from the genres' instrumentation pools.
public enum TagSampler {
    /// Relative frequency of each primary genre in the corpus: the core families a little more
    /// often than their styles, as in a catalogue.
    public static let genrePrior: [(Genre, Double)] = {
        let core: [Genre: Double] = [
            .rock: 1.3, .pop: 1.3, .jazz: 1.1, .blues: 0.8, .funk: 0.8, .classical: 1.0, .electronic: 1.2,
            .ambient: 0.9, .folk: 0.9, .latin: 0.8, .reggae: 0.7, .metal: 0.8, .hipHop: 1.0, .country: 0.8,
        ]
        return Genre.allCases.map { ($0, core[$0] ?? 0.7) }
    }()

    /// Probability that a clip carries a second genre.
    public static let secondGenreProbability = 0.3

    public static func sample(using generator: inout SeededGenerator) -> ClipTags {
        let primary = generator.weighted(genrePrior) ?? .pop
        var genres = [primary]
        if generator.chance(secondGenreProbability) {
            let partners = Genre.allCases.compactMap { genre in primary.style.partners[genre].map { (genre, $0) } }
                .filter { tempoRange(of: [primary, $0.0]) != nil }
            if let partner = generator.weighted(partners) { genres.append(partner) }
        }
        let moods = sampleMoods(for: genres, using: &generator)
        let instruments = sampleInstruments(for: genres, moods: moods, using: &generator)
        return ClipTags(genres: genres, moods: moods, instruments: instruments)
    }

    /// The tempo range shared by all `genres`, or nil when they do not overlap.
    public static func tempoRange(of genres: [Genre]) -> ClosedRange<Double>? {
        let lower = genres.map(\.style.tempoRange.lowerBound).max() ?? 60
        let upper = genres.map(\.style.tempoRange.upperBound).min() ?? 180
        return lower <= upper ? lower...upper : nil
    }

    private static func sampleMoods(for genres: [Genre], using generator: inout SeededGenerator) -> [Mood] {
        let primary = genres[0].style.moodWeights
        let secondary = genres.count > 1 ? genres[1].style.moodWeights : [:]
        // A mood both genres carry (a catalogue does not file a happy clip under metal).
        var weights = Mood.allCases.map { mood in
            (mood, (primary[mood] ?? 0) > 0 && (genres.count == 1 || (secondary[mood] ?? 0) > 0)
                ? (primary[mood] ?? 0) + 0.5 * (secondary[mood] ?? 0) : 0)
        }
        if weights.allSatisfy({ $0.1 <= 0 }) { weights = Mood.allCases.map { ($0, primary[$0] ?? 0) } }
        let count = generator.weighted([(1, 0.45), (2, 0.4), (3, 0.15)]) ?? 1
        var moods = [generator.weighted(weights) ?? .calm]
        while moods.count < count {
            let candidates = weights.filter { !moods.contains($0.0) && MoodProfile.isCompatible($0.0, with: moods) }
            guard let next = generator.weighted(candidates) else { break }
            moods.append(next)
        }
        return moods
    }

    private static func sampleInstruments(
        for genres: [Genre], moods: [Mood], using generator: inout SeededGenerator
    ) -> [Instrument] {
        let styles = genres.map(\.style)
        let dynamics = MoodProfile.combined(moods).dynamics
        let target = generator.weighted([(2, 0.15), (3, 0.3), (4, 0.3), (5, 0.17), (6, 0.08)]) ?? 3
        var chosen: [Instrument] = []
        if styles.contains(where: { $0.drumStyle != nil }),
           generator.chance(styles.map(\.drumProbability).max() ?? 0) {
            chosen.append(generator.chance(genres[0].drumMachineProbability) ? .drumMachine : .drums)
        }
        if generator.chance(styles.map(\.bassProbability).max() ?? 0) { chosen.append(.bass) }
        // A two-instrument clip keeps one of the rhythm section so a tune or chords still fit.
        if target == 2, chosen.count == 2 { chosen.remove(at: generator.integer(in: 0...1)) }
        for signature in styles[0].signatureInstruments where !chosen.contains(signature) { chosen.append(signature) }
        let pool = Instrument.allCases.map { instrument -> (Instrument, Double) in
            var weight = (styles[0].instrumentWeights[instrument] ?? 0)
                + (styles.count > 1 ? 0.6 * (styles[1].instrumentWeights[instrument] ?? 0) : 0)
            // Quiet moods rarely get a distorted guitar or a screaming lead.
            if dynamics < 0.5, instrument == .distortedGuitar || instrument == .synthLead { weight *= 0.15 }
            return (instrument, weight)
        }
        func pitchedCount() -> Int { chosen.filter { !$0.isPercussionKit && $0 != .bass }.count }
        while chosen.count < target || pitchedCount() == 0 {
            let candidates = pool.filter { !chosen.contains($0.0) }
            guard let next = generator.weighted(candidates) else { break }
            chosen.append(next)
        }
        return chosen.sorted()
    }
}
