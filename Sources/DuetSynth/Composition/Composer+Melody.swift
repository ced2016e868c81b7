import DuetRandom

extension Composer {
    /// The melodic window of an instrument under the mood's register shift (at least an octave and a half wide).
    func melodicWindow(for instrument: Instrument) -> ClosedRange<Int> {
        let range = instrument.melodicRange
        let shift = max(-7, min(7, mood.registerShift))
        let low = max(range.lowerBound, min(range.upperBound - 18, range.lowerBound + max(0, shift) + (shift < 0 ? 0 : 0)))
        let high = min(range.upperBound, max(low + 18, range.upperBound + min(0, shift)))
        return low...high
    }

    /// Keys of the clip's scale inside `window`, ascending.
    func scaleKeys(in window: ClosedRange<Int>) -> [Int] {
        window.filter { key in mode.scale.contains(((key - tonic) % 12 + 12) % 12) }
    }

    /// A two-bar rhythm: onsets (in beats from the phrase start) chosen on an eighth grid with
    /// more onsets for denser moods, always starting on the downbeat.
    mutating func phraseRhythm() -> [Double] {
        let length = Double(2 * beatsPerBar)
        let grid = mood.density > 1.25 && tempo < 140 ? 0.25 : 0.5
        var onsets: [Double] = []
        var position = 0.0
        while position < length - 0.75 {
            let onBeat = position == position.rounded()
            let probability = min(0.95, (onBeat ? 0.55 : 0.3) * mood.density + (onBeat ? 0.15 : 0))
            if position == 0 || generator.chance(probability) { onsets.append(position) }
            position += grid
        }
        return onsets
    }

    /// The lead melody: two-bar phrases in an A A' B A shape, chord tones on the beats, steps between,
    /// contour and register from the mood. A single harmonic instrument also comps under its tune.
    mutating func melodyPart(for instrument: Instrument, alsoComping: Bool) -> [NoteEvent] {
        var notes: [NoteEvent] = []
        if alsoComping {
            let figure: CompStyle = instrument == .piano && style.compStyle == .alberti ? .alberti
                : (instrument.sustains ? .sustained : (style.compStyle == .jazzComp ? .jazzComp : .blockChords))
            notes += comping(figure: figure, instrument: instrument).map { note in
                var quieter = note
                quieter.velocity = max(1, Int(Double(note.velocity) * 0.8))
                if figure != .alberti { quieter.key -= 5 }
                return quieter
            }
        }
        let window = melodicWindow(for: instrument)
        let keys = scaleKeys(in: window)
        let phraseLength = Double(2 * beatsPerBar)
        let rhythmA = phraseRhythm()
        let rhythmB = phraseRhythm()
        var index = keys.count / 2
        var phraseStart = 0.0
        var phraseNumber = 0
        while phraseStart < totalBeats {
            let rhythm = phraseNumber % 4 == 2 ? rhythmB : rhythmA
            for (position, onset) in rhythm.enumerated() {
                let beat = phraseStart + onset
                let chord = self.chord(atBeat: beat)
                let chordPitchClasses = Set(chord.pitchClasses)
                if onset == onset.rounded() {
                    // Strong beat: nearest chord tone around the intended direction.
                    let aim = index + (mood.contour == 0 ? generator.integer(in: -1...1) : mood.contour)
                    let candidates = keys.indices.filter { chordPitchClasses.contains(((keys[$0] - tonic) % 12 + 12) % 12) }
                    if let nearest = candidates.min(by: { abs($0 - aim) < abs($1 - aim) }) { index = nearest }
                } else {
                    let leapProbability = mood.articulation < 0.5 ? 0.25 : 0.08
                    let size = generator.chance(leapProbability) ? generator.integer(in: 2...4) : 1
                    let rising = mood.contour > 0 ? generator.chance(0.65) : mood.contour < 0 ? generator.chance(0.35) : generator.chance(0.5)
                    index += rising ? size : -size
                }
                if index < 0 { index = 1 } else if index >= keys.count { index = keys.count - 2 }
                index = max(0, min(keys.count - 1, index))
                let nextOnset = position + 1 < rhythm.count ? rhythm[position + 1] : phraseLength
                let isPhraseEnd = position + 1 == rhythm.count
                let written = nextOnset - onset
                let sounding = isPhraseEnd ? min(written, 2.5) * mood.articulation : max(0.12, written * mood.articulation - 0.03)
                let level = (onset == 0 ? 1.05 : onset == onset.rounded() ? 0.95 : 0.85)
                notes.append(note(atBeat: beat, length: sounding, key: keys[index], level: level))
            }
            phraseStart += phraseLength
            phraseNumber += 1
        }
        return notes
    }

    /// A counter-line for a second melodic instrument: guide tones (thirds and sevenths) held
    /// across each chord, moving by the nearest step, in the instrument's own register.
    mutating func counterPart(for instrument: Instrument, leadInstrument: Instrument?) -> [NoteEvent] {
        let window = melodicWindow(for: instrument)
        let low = leadInstrument.map { window.lowerBound < $0.melodicRange.lowerBound ? window.lowerBound : max(window.lowerBound, window.lowerBound - 5) } ?? window.lowerBound
        let center = (low + window.upperBound) / 2 - 3
        var notes: [NoteEvent] = []
        var previous = center
        var position = 0.0
        while position < totalBeats {
            let end = progression.nextChange(afterBeat: position, beatsPerBar: beatsPerBar)
            let chord = self.chord(atBeat: position)
            let intervals = chord.quality.intervals
            let guideIntervals = intervals.count >= 4 ? [intervals[1], intervals[3]] : [intervals[1], intervals[min(2, intervals.count - 1)]]
            let candidates = guideIntervals.map { key(pitchClass: (chord.root + $0) % 12, near: previous) }
            var chosen = candidates.min { abs($0 - previous) < abs($1 - previous) } ?? previous
            while chosen > window.upperBound { chosen -= 12 }
            while chosen < low { chosen += 12 }
            let span = end - position
            if mood.density > 1.1 && span >= 2 {
                notes.append(note(atBeat: position, length: span / 2 - 0.1, key: chosen, level: 0.85))
                let neighbour = scaleKeys(in: (chosen - 3)...(chosen + 3)).filter { $0 != chosen }.min { abs($0 - chosen) < abs($1 - chosen) } ?? chosen
                notes.append(note(atBeat: position + span / 2, length: span / 2 - 0.1, key: neighbour, level: 0.8))
            } else {
                notes.append(note(atBeat: position, length: span - 0.1, key: chosen, level: 0.85))
            }
            previous = chosen
            position = end
        }
        return notes
    }
}
