import DuetRandom

extension Composer {
    /// The bass line in the primary genre's idiom (the second genre's when the primary has none,
    /// e.g. classical + metal); a cello playing the bass part bows sustained roots and fifths.
    mutating func bassPart(for instrument: Instrument) -> [NoteEvent] {
        var bassStyle = style.bassStyle
        if bassStyle == .sustained, harmonyStyle.bassStyle != .sustained { bassStyle = harmonyStyle.bassStyle }
        if instrument == .cello { bassStyle = mood.density > 1.1 ? .rootEighths : .sustained }
        if instrument == .tuba { bassStyle = .rootFifth }
        if instrument == .timpani || instrument == .taikoDrums { bassStyle = .rootFifth }
        if beatsPerBar == 3, ![.sustained, .walking].contains(bassStyle) { bassStyle = .rootFifth }
        let floor = instrument == .cello ? 36 : instrument == .tuba ? 29 : 28
        let level = 1.0
        var notes: [NoteEvent] = []
        var beat = 0.0
        let bar = Double(beatsPerBar)
        func root(_ chord: ChordSymbol) -> Int { key(pitchClass: chord.root, near: floor + 6) }
        func fifth(_ chord: ChordSymbol) -> Int { root(chord) + (chord.quality == .diminished || chord.quality == .halfDiminished || chord.quality == .diminishedSeventh ? 6 : 7) }
        func third(_ chord: ChordSymbol) -> Int { root(chord) + chord.quality.third }
        while beat < totalBeats {
            let chord = self.chord(atBeat: beat)
            let next = self.chord(atBeat: progression.nextChange(afterBeat: beat, beatsPerBar: beatsPerBar))
            switch bassStyle {
            case .rootEighths:
                let gallop = tags.genres[0] == .metal && mood.density > 1.2
                for eighth in 0..<8 {
                    let position = beat + Double(eighth) / 2
                    let current = self.chord(atBeat: position)
                    if gallop {
                        notes.append(note(atBeat: position, length: 0.2, key: root(current), level: level))
                        notes.append(note(atBeat: position + 0.25, length: 0.2, key: root(current), level: 0.8))
                    } else {
                        let isApproach = eighth == 7 && generator.chance(0.3)
                        notes.append(note(atBeat: position, length: 0.45, key: isApproach ? fifth(current) : root(current), level: eighth % 2 == 0 ? level : 0.85))
                    }
                }
                beat += 4
            case .rootFifth:
                notes.append(note(atBeat: beat, length: 0.9, key: root(chord), level: level))
                if beatsPerBar == 3 {
                    notes.append(note(atBeat: beat + 2, length: 0.9, key: fifth(chord) - 12 >= floor ? fifth(chord) - 12 : fifth(chord), level: 0.8))
                    beat += 3
                } else {
                    notes.append(note(atBeat: beat + 2, length: 0.9, key: fifth(chord) - 12 >= floor ? fifth(chord) - 12 : fifth(chord), level: 0.85))
                    if generator.chance(0.35) {
                        // Walk up to the next root on the last two eighths.
                        let target = root(next)
                        notes.append(note(atBeat: beat + 3, length: 0.45, key: target - 2, level: 0.75))
                        notes.append(note(atBeat: beat + 3.5, length: 0.45, key: target - 1, level: 0.8))
                    }
                    beat += 4
                }
            case .walking:
                let target = root(next)
                let tones = [root(chord), generator.chance(0.5) ? third(chord) : fifth(chord), generator.chance(0.5) ? fifth(chord) : root(chord) + 12]
                for (index, key) in tones.prefix(beatsPerBar - 1).enumerated() {
                    notes.append(note(atBeat: beat + Double(index), length: 0.9, key: key, level: index == 0 ? level : 0.85))
                }
                let approach = target + (generator.chance(0.5) ? 1 : -1)
                notes.append(note(atBeat: beat + bar - 1, length: 0.9, key: approach, level: 0.85))
                beat += bar
            case .funkSlap:
                let patterns = ["x..xo.x...x.xo..", "x.x..x.xo..x.x..", "x..x..x.o.xx..x."]
                let pattern = patterns[Int(beat / 4) % 2 == 0 ? 0 : generator.integer(in: 0...2)]
                for (step, symbol) in pattern.enumerated() where symbol != "." {
                    let position = beat + Double(step) / 4
                    let current = self.chord(atBeat: position)
                    let octave = symbol == "o" ? 12 : 0
                    notes.append(note(atBeat: position, length: symbol == "o" ? 0.2 : 0.35, key: root(current) + octave, level: symbol == "o" ? 1.05 : level))
                }
                beat += 4
            case .octaveOffbeat:
                let rolling = generator.chance(0.4)
                for eighth in 0..<8 {
                    let position = beat + Double(eighth) / 2
                    let current = self.chord(atBeat: position)
                    if rolling {
                        notes.append(note(atBeat: position, length: 0.4, key: root(current) + (eighth % 2 == 0 ? 0 : 12), level: level))
                    } else if eighth % 2 == 1 {
                        notes.append(note(atBeat: position, length: 0.4, key: root(current), level: level))
                    }
                }
                beat += 4
            case .subBass:
                for (step, length) in [(0, 1.7), (7, 0.7), (10, 1.4)] {
                    let position = beat + Double(step) / 4
                    notes.append(note(atBeat: position, length: length, key: root(self.chord(atBeat: position)), level: level))
                }
                beat += 4
            case .reggaeDrop:
                let figure: [(Double, Int, Double)] = generator.chance(0.5)
                    ? [(0, 0, 0.7), (0.75, 0, 0.5), (1.5, 7, 0.5), (2.5, 12, 0.45), (3, 7, 0.9)]
                    : [(0.5, 0, 0.9), (1.5, 3, 0.4), (2, 7, 0.9), (3, 12, 0.45), (3.5, 7, 0.45)]
                for (offset, interval, length) in figure {
                    let current = self.chord(atBeat: beat + offset)
                    let step = interval == 3 ? current.quality.third : interval
                    notes.append(note(atBeat: beat + offset, length: length, key: root(current) + step, level: level))
                }
                beat += 4
            case .tumbao:
                // Fifth on the "and" of two, the next chord's root anticipated on four.
                notes.append(note(atBeat: beat + 1.5, length: 1.4, key: fifth(chord), level: level))
                let upcoming = self.chord(atBeat: beat + 4)
                notes.append(note(atBeat: beat + 3, length: 2.4, key: root(upcoming), level: level))
                beat += 4
            case .boogie:
                let line = [0, 4, 7, 9, 10, 9, 7, 4]
                for (eighth, interval) in line.enumerated() {
                    let position = beat + Double(eighth) / 2
                    let current = self.chord(atBeat: position)
                    let step = interval == 4 ? current.quality.third : interval
                    notes.append(note(atBeat: position, length: 0.45, key: root(current) + step, level: eighth % 2 == 0 ? level : 0.85))
                }
                beat += 4
            case .sustained:
                let end = progression.nextChange(afterBeat: beat, beatsPerBar: beatsPerBar)
                notes.append(note(atBeat: beat, length: max(0.5, end - beat - 0.05), key: root(chord), level: 0.9))
                beat = end
            }
        }
        return notes
    }
}
