import DuetRandom

extension Composer {
    /// A close-position voicing of `chord` with `size` notes whose lowest note is at or above
    /// `floor`, choosing the inversion nearest to `previous` (smooth voice leading).
    func voicing(_ chord: ChordSymbol, floor: Int, size: Int, previous: [Int]?, rootless: Bool = false) -> [Int] {
        var intervals = chord.quality.intervals.map { $0 % 12 }
        if rootless, intervals.count >= 4 { intervals.removeFirst(); if !intervals.contains(2) { intervals.append(2) } }
        var pitchClasses: [Int] = []
        for interval in intervals where !pitchClasses.contains((chord.root + interval) % 12) {
            pitchClasses.append((chord.root + interval) % 12)
        }
        let target = previous.map { Double($0.reduce(0, +)) / Double($0.count) } ?? Double(floor + 7)
        var best: [Int] = []
        var bestDistance = Double.infinity
        for rotation in 0..<pitchClasses.count {
            var keys: [Int] = []
            var last = floor - 1
            for index in 0..<size {
                let pitchClass = pitchClasses[(rotation + index) % pitchClasses.count]
                var key = key(pitchClass: pitchClass, near: last + 6)
                while key <= last { key += 12 }
                while key - 12 > last { key -= 12 }
                keys.append(key)
                last = key
            }
            let mean = Double(keys.reduce(0, +)) / Double(keys.count)
            if abs(mean - target) < bestDistance { bestDistance = abs(mean - target); best = keys }
        }
        return best
    }

    /// The register floor of an instrument's chords, moved by the mood's register shift.
    func chordFloor(for instrument: Instrument) -> Int {
        instrument.voicingFloor + max(-7, min(7, mood.registerShift / 2))
    }

    /// The accompaniment part in the primary genre's comping figure, adapted to what the instrument can play.
    mutating func compingPart(for instrument: Instrument) -> [NoteEvent] {
        var figure = style.compStyle
        let guitar = [.acousticGuitar, .electricGuitar, .distortedGuitar].contains(instrument)
        switch (figure, instrument) {
        case (_, .distortedGuitar): figure = .powerChords
        case (_, .harp): figure = .arpeggio
        case (.strum, _) where !guitar: figure = instrument == .organ ? .sustained : .blockChords
        case (.powerChords, _): figure = guitar ? .strum : .blockChords
        case (.alberti, _) where instrument != .piano: figure = .arpeggio
        case (.funkChops, _) where !guitar: figure = .stabs
        case (.montuno, _) where instrument != .piano: figure = guitar ? .arpeggio : .stabs
        case (.arpeggio, .organ): figure = .sustained
        case (.sustained, _) where !instrument.sustains: figure = .arpeggio
        case (.jazzComp, .acousticGuitar): figure = .arpeggio
        default: break
        }
        if instrument == .vibraphone, figure != .jazzComp { figure = .arpeggio }
        if mood.density < 0.7, figure == .strum || figure == .stabs || figure == .funkChops { figure = guitar ? .arpeggio : .blockChords }
        return comping(figure: figure, instrument: instrument)
    }

    mutating func comping(figure: CompStyle, instrument: Instrument) -> [NoteEvent] {
        let floor = chordFloor(for: instrument)
        let bar = Double(beatsPerBar)
        var notes: [NoteEvent] = []
        var previous: [Int]?
        var barStart = 0.0
        let level = instrument.sustains ? 0.75 : 0.85
        while barStart < totalBeats {
            switch figure {
            case .strum:
                let hits: [(Double, Bool)] = beatsPerBar == 3
                    ? [(0, true), (1, true), (1.5, false), (2, true), (2.5, false)]
                    : (mood.density > 1.2 ? [(0, true), (0.5, false), (1, true), (1.5, false), (2, true), (2.5, false), (3, true), (3.5, false)]
                                            : [(0, true), (1, true), (1.5, false), (2.5, false), (3, true), (3.5, false)])
                for (index, hit) in hits.enumerated() {
                    let position = barStart + hit.0
                    let next = index + 1 < hits.count ? hits[index + 1].0 : bar
                    let chord = self.chord(atBeat: position)
                    var keys = voicing(chord, floor: floor - 7, size: 5, previous: previous)
                    previous = keys
                    if !hit.1 { keys = Array(keys.suffix(3).reversed()) }
                    for (string, key) in keys.enumerated() {
                        var event = note(atBeat: position, length: next - hit.0 - 0.05, key: key, level: hit.1 ? level : level * 0.75)
                        event.start += Double(string) * 0.009
                        notes.append(event)
                    }
                }
            case .powerChords:
                let chugging = mood.density > 0.9
                let chord = self.chord(atBeat: barStart)
                let root = key(pitchClass: chord.root, near: 46)
                let shape = [root, root + 7, root + 12]
                if chugging {
                    for eighth in 0..<(beatsPerBar * 2) {
                        let position = barStart + Double(eighth) / 2
                        let current = self.chord(atBeat: position)
                        let currentRoot = key(pitchClass: current.root, near: 46)
                        for key in [currentRoot, currentRoot + 7, currentRoot + 12] {
                            notes.append(note(atBeat: position, length: eighth % 4 == 0 ? 0.45 : 0.25, key: key, level: eighth % 2 == 0 ? 1.0 : 0.8))
                        }
                    }
                } else {
                    let end = progression.nextChange(afterBeat: barStart, beatsPerBar: beatsPerBar)
                    for key in shape { notes.append(note(atBeat: barStart, length: end - barStart - 0.05, key: key, level: 0.95)) }
                    if end < barStart + bar {
                        let second = self.chord(atBeat: end)
                        let secondRoot = key(pitchClass: second.root, near: 46)
                        for key in [secondRoot, secondRoot + 7, secondRoot + 12] { notes.append(note(atBeat: end, length: barStart + bar - end - 0.05, key: key, level: 0.95)) }
                    }
                }
            case .blockChords:
                let rhythm: [(Double, Double)] = beatsPerBar == 3
                    ? [(0, 2.9)]
                    : (mood.density > 1.1 ? [(0, 0.9), (1, 0.9), (2, 0.9), (3, 0.9)] : generator.pick([[(0, 1.4), (1.5, 1.9), (3.5, 0.45)], [(0, 1.9), (2, 1.9)], [(0, 3.9)]]))
                for (offset, length) in rhythm {
                    let chord = self.chord(atBeat: barStart + offset)
                    let keys = voicing(chord, floor: floor, size: 4, previous: previous)
                    previous = keys
                    for key in keys { notes.append(note(atBeat: barStart + offset, length: length, key: key, level: level)) }
                    if instrument == .piano || instrument == .electricPiano, offset == 0 {
                        notes.append(note(atBeat: barStart, length: length, key: key(pitchClass: chord.root, near: 43), level: level * 0.9))
                    }
                }
            case .jazzComp:
                let slots: [Double] = beatsPerBar == 3 ? [0, 1.5, 2] : [0, 1.5, 2.5, 3.5]
                var chosen = slots.filter { _ in generator.chance(0.55) }
                if chosen.isEmpty { chosen = [generator.pick(slots)] }
                for offset in chosen {
                    let chord = self.chord(atBeat: barStart + offset)
                    let keys = voicing(chord, floor: floor, size: 4, previous: previous, rootless: true)
                    previous = keys
                    for key in keys { notes.append(note(atBeat: barStart + offset, length: generator.double(in: 0.5...1.2), key: key, level: level * 0.9)) }
                }
            case .funkChops:
                let pattern = generator.pick(["x.xxx.x.x.xxx.x.", "..x...x...x.x.xx", "x..x..x.xx.x..x."])
                for (step, symbol) in pattern.enumerated() where symbol == "x" {
                    let position = barStart + Double(step) / 4
                    let chord = self.chord(atBeat: position)
                    let keys = Array(voicing(chord, floor: floor + 7, size: 4, previous: previous).suffix(3))
                    previous = keys
                    for key in keys { notes.append(note(atBeat: position, length: 0.14, key: key, level: step % 4 == 0 ? level : level * 0.8)) }
                }
            case .skank:
                let offsets: [Double] = instrument == .organ ? [0.5, 1.5, 2.5, 3.5] : [1, 3]
                for offset in offsets where offset < bar {
                    let chord = self.chord(atBeat: barStart + offset)
                    let keys = voicing(chord, floor: floor + 5, size: 3, previous: previous)
                    previous = keys
                    for key in keys { notes.append(note(atBeat: barStart + offset, length: 0.3, key: key, level: level)) }
                }
            case .arpeggio:
                let sixteenths = mood.density > 1.2 || tags.genres[0].family == .electronic
                let step = sixteenths ? 0.25 : 0.5
                let count = Int(bar / step)
                let order = generator.pick([[0, 1, 2, 3, 4, 3, 2, 1], [0, 2, 1, 3, 2, 4, 3, 1], [0, 1, 2, 3, 4, 5, 4, 3]])
                for index in 0..<count {
                    let position = barStart + Double(index) * step
                    let chord = self.chord(atBeat: position)
                    let keys = voicing(chord, floor: floor - 5, size: 6, previous: previous)
                    if index == 0 { previous = keys }
                    let key = keys[order[index % order.count] % keys.count]
                    let length = instrument == .harp || instrument == .acousticGuitar ? step * 2.5 : step * 0.95
                    notes.append(note(atBeat: position, length: length, key: key, level: index % (sixteenths ? 4 : 2) == 0 ? level : level * 0.8))
                }
            case .montuno:
                for (offset, upper) in [(0.0, true), (0.75, false), (1.5, true), (2.0, false), (2.75, true), (3.5, false)] {
                    let chord = self.chord(atBeat: barStart + offset)
                    let keys = voicing(chord, floor: floor + 3, size: 3, previous: previous)
                    previous = keys
                    let top = keys[keys.count - 1]
                    let played = upper ? [top, top - 12] : [keys[0], keys[0] + 12]
                    for key in played { notes.append(note(atBeat: barStart + offset, length: 0.4, key: key, level: level)) }
                }
            case .stabs:
                let offsets = generator.pick([[0.5, 1.5, 2.5, 3.5], [0, 0.75, 1.5, 2.5, 3.25], [0.5, 1.75, 2.5, 3.5]])
                for offset in offsets where offset < bar {
                    let chord = self.chord(atBeat: barStart + offset)
                    let keys = voicing(chord, floor: floor + 2, size: 4, previous: previous)
                    previous = keys
                    for key in keys { notes.append(note(atBeat: barStart + offset, length: 0.3, key: key, level: level)) }
                }
            case .alberti:
                let chord = self.chord(atBeat: barStart)
                let keys = voicing(chord, floor: 48, size: 3, previous: nil)
                let order = [0, 2, 1, 2]
                for index in 0..<Int(bar * 2) {
                    let position = barStart + Double(index) / 2
                    let current = self.chord(atBeat: position)
                    let currentKeys = current == chord ? keys : voicing(current, floor: 48, size: 3, previous: keys)
                    notes.append(note(atBeat: position, length: 0.5, key: currentKeys[order[index % 4]], level: index % 4 == 0 ? level : level * 0.75))
                }
            case .sustained:
                notes += padBar(barStart: barStart, instrument: instrument, previous: &previous)
            }
            barStart += bar
        }
        return notes
    }

    /// The pad part: sustained voicings that change with the harmony.
    mutating func padPart(for instrument: Instrument) -> [NoteEvent] {
        var notes: [NoteEvent] = []
        var previous: [Int]?
        var barStart = 0.0
        while barStart < totalBeats {
            notes += padBar(barStart: barStart, instrument: instrument, previous: &previous)
            barStart += Double(beatsPerBar)
        }
        return notes
    }

    mutating func padBar(barStart: Double, instrument: Instrument, previous: inout [Int]?) -> [NoteEvent] {
        var notes: [NoteEvent] = []
        var position = barStart
        let barEnd = barStart + Double(beatsPerBar)
        while position < barEnd - 0.01 {
            let end = min(barEnd, progression.nextChange(afterBeat: position, beatsPerBar: beatsPerBar))
            let chord = self.chord(atBeat: position)
            let keys = voicing(chord, floor: chordFloor(for: instrument), size: 4, previous: previous)
            previous = keys
            for key in keys { notes.append(note(atBeat: position, length: end - position - 0.02, key: key, level: 0.8)) }
            position = end
        }
        return notes
    }
}
