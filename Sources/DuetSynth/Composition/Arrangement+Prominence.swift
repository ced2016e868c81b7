extension Arrangement {
    /// The tagged instruments, the one that plays most first: each part is weighed by its notes'
    /// sounding time (held notes counted up to 2 s, a drum hit as 0.25 s) times their velocity over
    /// 127, summed per instrument; ties in name order. Captions that say which instruments lead
    /// ("steered mostly by", "out front") name them in this order.
    public var instrumentsByProminence: [Instrument] {
        var weight: [Instrument: Double] = [:]
        for track in tracks {
            for note in track.notes {
                let length = track.instrument.isPercussionKit ? 0.25 : min(note.duration, 2)
                weight[track.instrument, default: 0] += length * Double(note.velocity) / 127
            }
        }
        return tags.instruments.sorted { left, right in
            let (a, b) = (weight[left] ?? 0, weight[right] ?? 0)
            return a != b ? a > b : left.rawValue < right.rawValue
        }
    }
}
