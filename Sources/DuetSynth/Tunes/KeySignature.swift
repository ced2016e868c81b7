import Foundation

/// A key as a tune book writes it: a tonic, a mode, and the sharps or flats they imply.
///
/// The signature follows from the circle of fifths: a major tonic has `fifths` sharps (negative:
/// flats), C 0, G 1, D 2, ..., F −1, B♭ −2; a mode moves that count by its distance from major
/// (Lydian +1, Mixolydian −1, Dorian −2, minor/Aeolian −3, Phrygian −4, Locrian −5).
public struct KeySignature: Sendable, Equatable {
    public enum ModeName: String, Sendable, CaseIterable {
        case major, minor, dorian, mixolydian, phrygian, lydian, locrian

        /// Sharps added to the signature of a major key on the same tonic.
        var fifthsFromMajor: Int {
            switch self {
            case .major: 0
            case .lydian: 1
            case .mixolydian: -1
            case .dorian: -2
            case .minor: -3
            case .phrygian: -4
            case .locrian: -5
            }
        }

        /// The major or minor colour of the mode (its tonic triad).
        public var quality: Mode {
            switch self {
            case .major, .mixolydian, .lydian: .major
            case .minor, .dorian, .phrygian, .locrian: .minor
            }
        }
    }

    /// Tonic pitch class, 0 = C.
    public var tonic: Int
    public var mode: ModeName
    /// Sharps (positive) or flats (negative) of the signature, −7...7.
    public var fifths: Int
    /// Whether the `K:` field named the mode (otherwise it defaulted to major).
    public var modeWasGiven: Bool

    public init(tonic: Int, mode: ModeName, fifths: Int, modeWasGiven: Bool = true) {
        self.tonic = tonic
        self.mode = mode
        self.fifths = fifths
        self.modeWasGiven = modeWasGiven
    }

    /// C major, the key of a tune whose `K:` field is `none`.
    public static let cMajor = KeySignature(tonic: 0, mode: .major, fifths: 0, modeWasGiven: false)

    static let sharpOrder: [Character] = ["F", "C", "G", "D", "A", "E", "B"]
    static let letterPitch: [Character: Int] = ["C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11]
    static let letterFifths: [Character: Int] = ["F": -1, "C": 0, "G": 1, "D": 2, "A": 3, "E": 4, "B": 5]

    /// The signature's alteration (semitones, −1...1) of a note letter `A`...`G`.
    public func alteration(of letter: Character) -> Int {
        guard let position = Self.sharpOrder.firstIndex(of: letter) else { return 0 }
        if fifths > 0 { return position < fifths ? 1 : 0 }
        if fifths < 0 { return 6 - position < -fifths ? -1 : 0 }
        return 0
    }

    /// The seven pitch classes of the signature's diatonic scale, from the tonic.
    public var scale: [Int] {
        let major = [0, 2, 4, 5, 7, 9, 11]
        let majorTonic = ((fifths * 7) % 12 + 12) % 12
        let pitches = major.map { (majorTonic + $0) % 12 }
        guard let start = pitches.firstIndex(of: tonic) else { return pitches }
        return Array(pitches[start...] + pitches[..<start])
    }

    /// "G major", "A dorian": the name the manifest metadata records.
    public var name: String {
        let names = fifths < 0 ? ["C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"]
            : ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
        return "\(names[tonic]) \(mode.rawValue)"
    }

    /// Reads the value of an ABC `K:` field: a tonic letter with an optional `#`/`b` (German
    /// `H` for B and `Es`/`As` for E♭/A♭ occur in the Essen collection), then an optional mode
    /// (`m`, `min`, `maj`, `dor`, `mix`, `phr`, `lyd`, `loc`, `aeo`, `ion`, any case, only the
    /// first three letters count). Clef and other words after the mode are ignored; `none` is C major.
    /// - Returns: nil when the field names no key this reader understands.
    public static func abc(_ field: String) -> KeySignature? {
        var text = Substring(field.trimmingCharacters(in: .whitespaces))
        if let comment = text.firstIndex(of: "%") { text = text[..<comment] }
        let words = text.split(separator: " ")
        guard var token = words.first.map(String.init) else { return nil }
        if token.lowercased() == "none" { return .cMajor }
        if token.hasPrefix("H") { token = "B" + token.dropFirst() }
        for (german, english) in [("Es", "Eb"), ("As", "Ab")] where token.hasPrefix(german) {
            token = english + token.dropFirst(2)
        }
        guard let letter = token.first, let pitch = letterPitch[letter], let base = letterFifths[letter] else { return nil }
        var rest = token.dropFirst()
        var tonic = pitch
        var fifths = base
        if rest.first == "#" { tonic += 1; fifths += 7; rest = rest.dropFirst() } else if rest.first == "b" { tonic -= 1; fifths -= 7; rest = rest.dropFirst() }
        var modeText = String(rest).lowercased()
        if modeText.isEmpty, words.count > 1 { modeText = words[1].lowercased() }
        let mode: ModeName
        let given: Bool
        switch modeText.prefix(3) {
        case "": mode = .major; given = false
        case "maj", "ion": mode = .major; given = true
        case "m", "min", "aeo": mode = .minor; given = true
        case "dor": mode = .dorian; given = true
        case "mix": mode = .mixolydian; given = true
        case "phr": mode = .phrygian; given = true
        case "lyd": mode = .lydian; given = true
        case "loc": mode = .locrian; given = true
        default:
            // A clef or explicit accidentals after a bare tonic: the key is still major.
            guard words.count > 1 || modeText.hasPrefix("m") else { return nil }
            if modeText.hasPrefix("m") { mode = .minor; given = true } else { mode = .major; given = false }
        }
        fifths += mode.fifthsFromMajor
        guard (-7...7).contains(fifths) else { return nil }
        return KeySignature(tonic: (tonic + 12) % 12, mode: mode, fifths: fifths, modeWasGiven: given)
    }
}
