/// A chord progression: one entry per bar, each bar holding one or two chords that split it evenly.
public struct Progression: Sendable, Equatable, Codable {
    public var bars: [[ChordSymbol]]

    /// Parses bars separated by `|`, chords within a bar separated by spaces, e.g. `"ii7 V7 | Imaj7"`.
    /// A malformed literal is a programmer error in the style tables, hence the precondition.
    public init(_ text: String) {
        bars = text.split(separator: "|").map { bar in
            bar.split(separator: " ").map { token in
                guard let chord = ChordSymbol(roman: String(token)) else {
                    preconditionFailure("bad chord symbol '\(token)' in progression '\(text)'")
                }
                return chord
            }
        }
        precondition(!bars.isEmpty && bars.allSatisfy { !$0.isEmpty }, "empty bar in progression '\(text)'")
    }

    /// The chord sounding at `beat` (0-based, counted from the first bar; the progression loops).
    public func chord(atBeat beat: Double, beatsPerBar: Int) -> ChordSymbol {
        let barIndex = Int((beat / Double(beatsPerBar)).rounded(.down))
        let bar = bars[((barIndex % bars.count) + bars.count) % bars.count]
        let within = beat - Double(barIndex * beatsPerBar)
        let slot = min(bar.count - 1, Int(within / (Double(beatsPerBar) / Double(bar.count))))
        return bar[slot]
    }

    /// The beat (absolute) at which the chord sounding at `beat` changes next.
    public func nextChange(afterBeat beat: Double, beatsPerBar: Int) -> Double {
        let barIndex = Int((beat / Double(beatsPerBar)).rounded(.down))
        let bar = bars[((barIndex % bars.count) + bars.count) % bars.count]
        let slotLength = Double(beatsPerBar) / Double(bar.count)
        let within = beat - Double(barIndex * beatsPerBar)
        let slot = Int(within / slotLength)
        return Double(barIndex * beatsPerBar) + Double(slot + 1) * slotLength
    }
}
