import DuetRandom

/// Who plays a tune: a lead on the melody, maybe a second melody instrument doubling it, one or
/// two accompanying instruments on the implied harmony, and maybe a bass. Drawn per tune from
/// pools that suit its collection (fiddle tunes: fiddle, flute, tin whistle, accordion, banjo over
/// guitar or piano; songs: flute, violin, clarinet, oboe, recorder, accordion, voices, piano over
/// guitar, piano, accordion, harp, strings or organ; children's songs: recorder and bells; Chinese
/// and Japanese songs: flute, violin or oboe over harp, piano or strings).
public struct TuneInstrumentation: Sendable, Equatable {
    public var lead: Instrument
    public var doubling: Instrument?
    public var accompaniment: [Instrument]
    public var bass: Instrument?

    /// Every instrument that plays, in vocabulary order: the clip's instrument tags.
    public var instruments: [Instrument] {
        Array(Set([lead] + (doubling.map { [$0] } ?? []) + accompaniment + (bass.map { [$0] } ?? []))).sorted()
    }

    /// Draws the instrumentation of `tune`.
    public static func draw(for tune: NotatedTune, using generator: inout SeededGenerator) -> TuneInstrumentation {
        let pools = Pools(tune)
        let lead = generator.weighted(pools.leads) ?? .flute
        var doubling: Instrument?
        if generator.chance(pools.doublingProbability) {
            doubling = generator.weighted(pools.doublings.filter { $0.0 != lead })
        }
        var accompaniment: [Instrument] = []
        let count = generator.chance(0.35) ? 2 : 1
        for _ in 0..<count {
            let taken = Set([lead] + accompaniment + (doubling.map { [$0] } ?? []))
            if let next = generator.weighted(pools.accompaniments.filter { !taken.contains($0.0) }) { accompaniment.append(next) }
        }
        let bass = generator.chance(pools.bassProbability) ? generator.weighted([(Instrument.bass, 0.6), (.cello, 0.4)]) : nil
        return TuneInstrumentation(lead: lead, doubling: doubling, accompaniment: accompaniment, bass: bass)
    }

    /// Weighted instrument pools of a tune's kind.
    struct Pools {
        var leads: [(Instrument, Double)]
        var doublings: [(Instrument, Double)]
        var doublingProbability: Double
        var accompaniments: [(Instrument, Double)]
        var bassProbability: Double

        init(_ tune: NotatedTune) {
            let genres = tune.genres
            if tune.collection == .ryansMammoth {
                leads = [(.violin, 0.45), (.flute, 0.15), (.tinWhistle, 0.12), (.accordion, 0.12), (.banjo, 0.08), (.harmonica, 0.04), (.piano, 0.04)]
                doublings = [(.flute, 1), (.tinWhistle, 1), (.violin, 1), (.accordion, 1), (.banjo, 0.5)]
                doublingProbability = 0.25
                accompaniments = [(.acousticGuitar, 0.35), (.piano, 0.3), (.accordion, 0.12), (.harp, 0.08), (.banjo, 0.08), (.organ, 0.07)]
                bassProbability = 0.3
            } else if genres.contains(.childrens) {
                leads = [(.recorder, 0.25), (.glockenspiel, 0.15), (.xylophone, 0.15), (.flute, 0.15), (.musicBox, 0.1), (.piano, 0.1), (.celesta, 0.1)]
                doublings = [(.recorder, 1), (.glockenspiel, 1), (.flute, 1)]
                doublingProbability = 0.15
                accompaniments = [(.piano, 0.4), (.acousticGuitar, 0.3), (.harp, 0.15), (.accordion, 0.15)]
                bassProbability = 0.15
            } else if genres.contains(.eastAsian) {
                leads = [(.flute, 0.35), (.violin, 0.2), (.oboe, 0.15), (.clarinet, 0.1), (.piano, 0.1), (.harp, 0.1)]
                doublings = [(.flute, 1), (.violin, 1)]
                doublingProbability = 0.15
                accompaniments = [(.harp, 0.3), (.piano, 0.25), (.strings, 0.3), (.acousticGuitar, 0.15)]
                bassProbability = 0.15
            } else {
                leads = [(.flute, 0.18), (.violin, 0.14), (.clarinet, 0.12), (.oboe, 0.08), (.recorder, 0.08), (.accordion, 0.1),
                         (.choir, 0.06), (.harmonica, 0.04), (.piano, 0.1), (.trumpet, 0.04), (.acousticGuitar, 0.06)]
                doublings = [(.flute, 1), (.violin, 1), (.clarinet, 1), (.oboe, 0.5)]
                doublingProbability = 0.15
                accompaniments = [(.acousticGuitar, 0.3), (.piano, 0.25), (.accordion, 0.12), (.harp, 0.1), (.strings, 0.13),
                                  (.organ, 0.05), (.choir, 0.05)]
                bassProbability = 0.25
            }
        }
    }
}
