import DuetRandom

/// Arranges a notated tune for the corpus's instruments: a pure function of (tune, seed, duration)
/// to an `Arrangement`, like `Composer` for generated clips.
///
/// The lead plays the melody (moved by whole octaves into its comfortable range), a doubling
/// instrument plays it too, the accompaniment plays the harmony the melody implies
/// (`TuneHarmony`): guitars, pianos, accordions and banjos a bass note on the first beat of the
/// segment (and the fifth on its third beat) and chords on the others, harps broken chords,
/// strings, organs and voices held chords; a bass plays roots and fifths. The clip starts at the
/// tune's first note and plays it again when it is shorter than the clip. The tempo comes from the
/// `Q:` field, else from the dance or meter (`beatsPerMinute`); `Arrangement.tempo` is the felt beat
/// (a dotted quarter in 6/8), so the tempo tags and held-out captions describe what a listener taps.
public enum TuneArranger {
    /// Arranges `tune`; the instrumentation is the first thing drawn from the seed, so
    /// `TuneInstrumentation.draw` with `SeededGenerator(seed:)` gives the same instruments.
    public static func arrange(_ tune: NotatedTune, seed: UInt64, duration: Double) -> Arrangement {
        var generator = SeededGenerator(seed: seed)
        let instrumentation = TuneInstrumentation.draw(for: tune, using: &generator)
        let harmony = TuneHarmony(tune)
        let beatsPerMinute = Self.beatsPerMinute(tune, using: &generator)
        let dynamics = generator.double(in: 0.45...0.65)
        var arranger = Arranger(
            tune: tune, harmony: harmony, generator: generator, duration: duration,
            secondsPerQuarter: 60 / (beatsPerMinute * tune.meter.beatLength), dynamics: dynamics)
        let programGenre: Genre = tune.collection == .ryansMammoth ? .celtic : .folk
        var tracks: [Track] = []
        func add(_ instrument: Instrument, _ role: Track.Role, volume: Int, pan: Int, notes: [NoteEvent]) {
            let channel = tracks.count >= 9 ? tracks.count + 1 : tracks.count
            let program = arranger.generator.pick(instrument.programs(in: programGenre))
            tracks.append(Track(
                instrument: instrument, role: role, channel: channel, bank: 0, program: program, volume: volume, pan: pan,
                reverbSend: role == .pad ? 70 : 50, notes: Composer.finished(notes, duration: duration)))
        }
        add(instrumentation.lead, .lead, volume: 112, pan: 64, notes: arranger.melody(for: instrumentation.lead, level: 1))
        if let doubling = instrumentation.doubling {
            add(doubling, .counterLine, volume: 92, pan: 52, notes: arranger.melody(for: doubling, level: 0.8))
        }
        for (index, instrument) in instrumentation.accompaniment.enumerated() {
            let role: Track.Role = instrument.padsWhenAccompanying || instrument == .organ ? .pad : .comping
            add(instrument, role, volume: role == .pad ? 84 : 96, pan: index % 2 == 0 ? 40 : 88,
                notes: arranger.accompaniment(for: instrument))
        }
        if let bass = instrumentation.bass {
            add(bass, .bass, volume: 100, pan: 64, notes: arranger.bassLine(for: bass))
        }
        return Arrangement(
            tags: ClipTags(genres: tune.genres, moods: [], instruments: instrumentation.instruments),
            tempo: beatsPerMinute.rounded(), beatsPerBar: tune.meter.beatsPerBar, tonic: harmony.tonic, mode: harmony.mode.quality,
            swing: 0.5, dynamics: dynamics, duration: duration, progression: Progression("I"), tracks: tracks)
    }

    /// Felt beats per minute: the `Q:` field's tempo when there is one, else drawn from the
    /// dance's range (reel 96-116 half notes or quarters, hornpipe and clog 72-92, jig and slip jig
    /// 96-120 dotted quarters, strathspey 108-128, highland fling 100-120) or, for songs, the
    /// meter's (compound 58-80, half-note beats 56-80, quarter beats 72-112, eighth beats 100-150).
    public static func beatsPerMinute(_ tune: NotatedTune, using generator: inout SeededGenerator) -> Double {
        let range: ClosedRange<Double>
        switch tune.dance {
        case "reel": range = 96...116
        case "hornpipe", "clog": range = 72...92
        case "jig", "slip jig": range = 96...120
        case "strathspey": range = 108...128
        case "highland fling": range = 100...120
        default:
            if tune.meter.isCompound { range = 58...80 } else {
                switch tune.meter.denominator {
                case 1, 2: range = 56...80
                case 4: range = 72...112
                default: range = 100...150
                }
            }
        }
        let drawn = generator.double(in: range)
        if let given = tune.quarterNotesPerMinute { return given / tune.meter.beatLength }
        return drawn.rounded()
    }

    /// The note-writing state of one arrangement.
    struct Arranger {
        var tune: NotatedTune
        var harmony: TuneHarmony
        var generator: SeededGenerator
        var duration: Double
        var secondsPerQuarter: Double
        var dynamics: Double

        /// Start offsets (quarter notes) of the tune's repetitions that begin inside the clip.
        var repetitions: [Double] {
            guard tune.length > 0 else { return [0] }
            var offsets: [Double] = []
            var offset = 0.0
            while offset * secondsPerQuarter < duration { offsets.append(offset); offset += tune.length }
            return offsets
        }

        mutating func event(at position: Double, length: Double, key: Int, level: Double) -> NoteEvent {
            let base = 38 + 72 * dynamics
            let velocity = Int(min(127, max(1, (base * level + generator.double(in: -5...5)).rounded())))
            let start = max(0, position * secondsPerQuarter + generator.double(in: -0.005...0.005))
            return NoteEvent(start: start, duration: max(0.05, length * secondsPerQuarter), key: min(127, max(0, key)), velocity: velocity)
        }

        func isBarStart(_ position: Double) -> Bool {
            tune.barStarts.contains { abs($0 - position) < 1e-6 }
        }

        /// The melody, moved by octaves so that most notes lie in the instrument's range.
        mutating func melody(for instrument: Instrument, level: Double) -> [NoteEvent] {
            let range = instrument.melodicRange
            let shift = [0, 12, -12, 24, -24].max { lhs, rhs in
                tune.notes.filter { range.contains($0.key + lhs) }.count < tune.notes.filter { range.contains($0.key + rhs) }.count
            } ?? 0
            let articulation = instrument.sustains ? 0.95 : 0.9
            var notes: [NoteEvent] = []
            for offset in repetitions {
                for note in tune.notes {
                    let accent = isBarStart(note.start) ? 1.1 : 1
                    notes.append(event(at: offset + note.start, length: note.duration * articulation, key: note.key + shift, level: level * accent))
                }
            }
            return notes
        }

        /// The accompaniment figure of `instrument` over every harmony segment.
        mutating func accompaniment(for instrument: Instrument) -> [NoteEvent] {
            let beat = tune.meter.beatLength
            let floor = instrument.voicingFloor
            let hasPickup = tune.barStarts.count > 1 && tune.barStarts[1] < tune.meter.barLength - 1e-6
            var notes: [NoteEvent] = []
            for (repetition, offset) in repetitions.enumerated() {
                for (index, segment) in harmony.segments.enumerated() {
                    if repetition == 0, index == 0, hasPickup { continue }
                    let length = segment.end - segment.start
                    guard length >= beat / 2 - 1e-9 else { continue }
                    let chord = Self.voicing(segment.pitchClasses, floor: floor)
                    let start = offset + segment.start
                    if instrument.padsWhenAccompanying || instrument == .organ {
                        for key in chord { notes.append(event(at: start, length: length - 0.05, key: key, level: 0.75)) }
                    } else if instrument == .harp {
                        let step = tune.meter.isCompound ? beat / 3 : beat / 2
                        let pattern = chord + [chord[0] + 12, chord[2], chord[1]]
                        var position = 0.0
                        var index = 0
                        while position < length - 1e-9 {
                            notes.append(event(at: start + position, length: 2 * step, key: pattern[index % pattern.count], level: 0.7))
                            position += step
                            index += 1
                        }
                    } else {
                        let low = Self.key(segment.root, near: floor - 10)
                        let fifth = Self.key((segment.root + 7) % 12, near: low + 5)
                        var position = 0.0
                        var beatIndex = 0
                        let stab = instrument == .piano ? 0.6 : 0.45
                        while position < length - 1e-9 {
                            if beatIndex == 0 || (beatIndex == 2 && length >= 4 * beat - 1e-9) {
                                notes.append(event(at: start + position, length: beat * 0.9, key: beatIndex == 0 ? low : fifth, level: 0.8))
                            } else {
                                for key in chord { notes.append(event(at: start + position, length: beat * stab, key: key, level: 0.7)) }
                            }
                            position += beat
                            beatIndex += 1
                        }
                    }
                }
            }
            return notes
        }

        /// Roots on the first beat of each segment and fifths on its middle beat.
        mutating func bassLine(for instrument: Instrument) -> [NoteEvent] {
            let beat = tune.meter.beatLength
            let centre = instrument == .cello ? 50 : 40
            var notes: [NoteEvent] = []
            for offset in repetitions {
                for segment in harmony.segments {
                    let length = segment.end - segment.start
                    guard length >= beat - 1e-9 else { continue }
                    let root = Self.key(segment.root, near: centre)
                    let beats = Int((length / beat).rounded())
                    notes.append(event(at: offset + segment.start, length: min(length, beat * (beats >= 2 ? 1 : 0.9)) * 0.9, key: root, level: 0.85))
                    if beats >= 2 {
                        let middle = Double(beats / 2) * beat
                        notes.append(event(at: offset + segment.start + middle, length: beat * 0.85, key: Self.key((segment.root + 7) % 12, near: root + 4), level: 0.75))
                    }
                }
            }
            return notes
        }

        /// A root-position close voicing from the lowest root at or above `floor`.
        static func voicing(_ pitchClasses: [Int], floor: Int) -> [Int] {
            var keys: [Int] = []
            var next = floor
            for pitchClass in pitchClasses {
                var key = next
                while (key % 12 + 12) % 12 != pitchClass { key += 1 }
                keys.append(key)
                next = key + 1
            }
            return keys
        }

        /// The key of `pitchClass` nearest to `target`.
        static func key(_ pitchClass: Int, near target: Int) -> Int {
            let difference = ((pitchClass - target) % 12 + 12) % 12
            return difference <= 6 ? target + difference : target + difference - 12
        }
    }
}
