/// The harmony a melody implies, for accompanying a tune that comes without chords.
///
/// The tonal centre is the key's tonic when the `K:` field names a mode; else the tune's last
/// note when it is the first, second or sixth degree of the signature's major scale (a folk tune
/// in "K:G" that ends on E is in E minor, one that ends on A in A Dorian), and the major tonic
/// otherwise. Each bar (halved when it has four or more beats) gets the diatonic
/// triad that best covers its melody: a note counts its length, doubled when it starts the
/// segment; the tonic, dominant and subdominant chords get a prior of 0.35, 0.25 and 0.2 of the
/// segment's weight, and keeping the previous chord 0.1. Minor tunes that use the leading tone
/// may take a major dominant. Diminished triads are not used.
public struct TuneHarmony: Sendable, Equatable {
    /// One chord: its pitch classes (root, third, fifth) over `[start, end)` quarter notes.
    public struct Segment: Sendable, Equatable {
        public var start: Double
        public var end: Double
        public var root: Int
        public var pitchClasses: [Int]
    }

    public var tonic: Int
    public var mode: KeySignature.ModeName
    public var segments: [Segment]

    public init(_ tune: NotatedTune) {
        let scale = tune.key.scale
        var tonic = tune.key.tonic
        var mode = tune.key.mode
        if !tune.key.modeWasGiven, let last = tune.notes.last, scale.contains(last.key % 12) {
            let majorTonic = ((tune.key.fifths * 7) % 12 + 12) % 12
            // Only finals on the signature's first, second and sixth degree move the centre: a song
            // that ends on the third or fifth (often the Essen songs whose text goes on) stays major.
            let modes: [Int: KeySignature.ModeName] = [0: .major, 2: .dorian, 9: .minor]
            if let final = modes[(last.key % 12 - majorTonic + 12) % 12] {
                tonic = last.key % 12
                mode = final
            } else {
                tonic = majorTonic
                mode = .major
            }
        }
        self.tonic = tonic
        self.mode = mode
        let centred = scale.firstIndex(of: tonic).map { Array(scale[$0...] + scale[..<$0]) } ?? scale
        var candidates: [(root: Int, pitchClasses: [Int], prior: Double)] = []
        for degree in 0..<7 {
            let chord = [centred[degree], centred[(degree + 2) % 7], centred[(degree + 4) % 7]]
            let third = (chord[1] - chord[0] + 12) % 12
            let fifth = (chord[2] - chord[0] + 12) % 12
            guard fifth == 7, third == 3 || third == 4 else { continue }
            let prior = degree == 0 ? 0.35 : degree == 4 ? 0.25 : degree == 3 ? 0.2 : 0
            candidates.append((chord[0], chord, prior))
        }
        let leadingTone = (tonic + 11) % 12
        if mode.quality == .minor, tune.notes.contains(where: { $0.key % 12 == leadingTone }) {
            let root = (tonic + 7) % 12
            candidates.append((root, [root, leadingTone, (root + 7) % 12], 0.25))
        }
        var boundaries: [Double] = []
        let bars = tune.barStarts + [tune.length]
        for index in 0..<(bars.count - 1) where bars[index + 1] > bars[index] + 1e-9 {
            boundaries.append(bars[index])
            let length = bars[index + 1] - bars[index]
            if length >= 4 * tune.meter.beatLength - 1e-9 { boundaries.append(bars[index] + length / 2) }
        }
        boundaries.append(tune.length)
        var segments: [Segment] = []
        var noteIndex = 0
        var previous: Int?
        for index in 0..<(boundaries.count - 1) {
            let (start, end) = (boundaries[index], boundaries[index + 1])
            var weights = [Int: Double]()
            var total = 0.0
            while noteIndex < tune.notes.count, tune.notes[noteIndex].end <= start + 1e-9 { noteIndex += 1 }
            var cursor = noteIndex
            while cursor < tune.notes.count, tune.notes[cursor].start < end - 1e-9 {
                let note = tune.notes[cursor]
                let overlap = min(end, note.end) - max(start, note.start)
                if overlap > 0 {
                    let weight = overlap * (abs(note.start - start) < 1e-9 ? 2 : 1)
                    weights[note.key % 12, default: 0] += weight
                    total += weight
                }
                cursor += 1
            }
            guard !candidates.isEmpty else { break }
            var best = previous.flatMap { index in candidates.indices.contains(index) ? index : nil } ?? 0
            if total > 0 {
                var bestScore = -Double.infinity
                for (index, candidate) in candidates.enumerated() {
                    var score = candidate.pitchClasses.reduce(0) { $0 + (weights[$1] ?? 0) } + candidate.prior * total
                    if index == previous { score += 0.1 * total }
                    if score > bestScore + 1e-12 { bestScore = score; best = index }
                }
            }
            previous = best
            segments.append(Segment(start: start, end: end, root: candidates[best].root, pitchClasses: candidates[best].pitchClasses))
        }
        self.segments = segments
    }

    /// The chord sounding at `position` quarter notes (the last one after the end).
    public func segment(at position: Double) -> Segment? {
        segments.last { $0.start <= position + 1e-9 } ?? segments.first
    }
}
