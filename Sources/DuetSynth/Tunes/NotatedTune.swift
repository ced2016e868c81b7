import Foundation

/// A tune read from a human-written score (an ABC tune-book entry): its metadata fields and its
/// melody as sounding notes, timed in quarter notes from the first note, with repeats written out.
public struct NotatedTune: Sendable, Equatable {
    /// One sounding note (tied notes are merged; rests only leave gaps).
    public struct Note: Sendable, Equatable {
        /// Onset in quarter notes from the start of the tune.
        public var start: Double
        /// Length in quarter notes.
        public var duration: Double
        /// MIDI key number (middle C = 60).
        public var key: Int

        public init(start: Double, duration: Double, key: Int) {
            self.start = start
            self.duration = duration
            self.key = key
        }

        public var end: Double { start + duration }
    }

    /// The collection folder and file the tune comes from, and its `X:` reference number there.
    public var collection: TuneCollection
    public var file: String
    public var number: Int
    /// The first `T:` field.
    public var title: String
    /// Header fields by letter (`O` origin, `R` rhythm, `Q` tempo, ...), the first value of each.
    public var fields: [Character: String]
    public var meter: Meter
    /// The key signature of the `K:` field at the start of the body.
    public var key: KeySignature
    /// Tempo from the `Q:` field, in quarter notes per minute, if the tune gives one.
    public var quarterNotesPerMinute: Double?
    /// The melody in time order.
    public var notes: [Note]
    /// Onsets of the bars (quarter notes), from the bar lines after expansion; the first is 0.
    public var barStarts: [Double]
    /// Total length in quarter notes (the end of the last note or rest).
    public var length: Double

    /// An identifier that is stable across runs: collection, file and reference number.
    public var identifier: String { "\(collection.rawValue)/\(file)#\(number)" }

    /// What grouped splits group by: tunes of one collection with the same title (letters and
    /// digits only, lower-cased) are one group, so a tune and its variants never sit in two splits.
    public var groupKey: String {
        let normalised = String(title.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
        return "\(collection.rawValue)/\(normalised.isEmpty ? identifier : normalised)"
    }
}

/// A time signature; `C` is 4/4 and `C|` is 2/2.
public struct Meter: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var numerator: Int
    public var denominator: Int

    public init(numerator: Int, denominator: Int) {
        self.numerator = numerator
        self.denominator = denominator
    }

    public var description: String { "\(numerator)/\(denominator)" }

    /// Whether the beat is a dotted note (6/8, 9/8, 12/8, 6/4, ...).
    public var isCompound: Bool { numerator % 3 == 0 && numerator > 3 }

    /// The felt beat in quarter notes: a dotted beat in compound meters, else one denominator unit.
    public var beatLength: Double { 4 / Double(denominator) * (isCompound ? 3 : 1) }

    /// Felt beats per bar (6/8 has two, 3/4 three, 2/2 two).
    public var beatsPerBar: Int { isCompound ? numerator / 3 : numerator }

    /// A bar in quarter notes.
    public var barLength: Double { 4 * Double(numerator) / Double(denominator) }
}
