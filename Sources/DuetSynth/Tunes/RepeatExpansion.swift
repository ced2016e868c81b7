/// Writes out the playing order of a scanned ABC body: repeated sections twice, first endings on
/// the first time through and second endings on the second, ties merged into one note.
///
/// A `:|` without a `|:` repeats from the last double bar (or the start); each `:|` jumps back
/// once. On the second time through, a first ending is skipped up to the second ending (or the
/// next section boundary). Bar lines record where bars start, for the harmony of the arrangement.
struct RepeatExpansion {
    private(set) var notes: [NotatedTune.Note] = []
    private(set) var barStarts: [Double] = [0]
    /// The end of the last note or rest, in quarter notes.
    private(set) var length: Double = 0

    init(_ events: [AbcEvent]) throws(TuneSkip.Reason) {
        var position = 0
        var sectionStart = 0
        var pass = 1
        var taken = Set<Int>()
        var skippingEnding = false
        var tiedIndex: Int?
        var steps = 0
        while position < events.count {
            steps += 1
            guard steps <= 4 * events.count + 16 else { throw .unbalancedRepeats }
            let event = events[position]
            if skippingEnding {
                switch event {
                case .ending(let number) where number == pass: skippingEnding = false
                case .bar(let bar) where bar.startsRepeat || bar.isDouble: skippingEnding = false; continue
                default: break
                }
                position += 1
                continue
            }
            switch event {
            case .note(let key, let length, let tied):
                if let key {
                    let target: Int
                    if let open = tiedIndex, notes[open].key == key, abs(notes[open].end - self.length) < 1e-9 {
                        notes[open].duration += length
                        target = open
                    } else {
                        notes.append(NotatedTune.Note(start: self.length, duration: length, key: key))
                        target = notes.count - 1
                    }
                    tiedIndex = tied ? target : nil
                } else {
                    tiedIndex = nil
                }
                self.length += length
            case .ending(let number):
                skippingEnding = number != pass
            case .bar(let bar):
                if self.length > (barStarts.last ?? 0) + 1e-9 { barStarts.append(self.length) }
                if bar.endsRepeat, !taken.contains(position) {
                    taken.insert(position)
                    pass = 2
                    position = sectionStart
                    continue
                }
                if bar.endsRepeat || bar.startsRepeat || bar.isDouble {
                    pass = 1
                    sectionStart = position + 1
                }
            }
            position += 1
        }
    }
}
