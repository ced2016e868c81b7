/// A chord relative to the key's tonic, written as a Roman numeral.
///
/// Syntax: optional `b`/`#`, the numeral (upper case = major third, lower case = minor third),
/// then an optional suffix: `7` (dominant on upper case, minor seventh on lower case), `maj7`,
/// `9`, `6`, `o` (diminished), `o7`, `h7` (half-diminished), `sus2`, `sus4`, `add9`, `5` (power),
/// `+` (augmented). Examples: `ii7`, `V7`, `Imaj7`, `bVII`, `i9`, `viio`, `I5`.
public struct ChordSymbol: Sendable, Equatable, Hashable, Codable {
    /// Root in semitones above the tonic, 0..<12.
    public var root: Int
    public var quality: ChordQuality

    public init(root: Int, quality: ChordQuality) {
        self.root = ((root % 12) + 12) % 12
        self.quality = quality
    }

    /// Parses a Roman numeral; returns nil for text outside the syntax above.
    public init?(roman text: String) {
        var rest = Substring(text)
        var shift = 0
        while let first = rest.first, first == "b" || first == "#" {
            shift += first == "b" ? -1 : 1
            rest = rest.dropFirst()
        }
        let numerals: [(String, Int)] = [("VII", 11), ("III", 4), ("VI", 9), ("IV", 5), ("II", 2), ("V", 7), ("I", 0)]
        var degree: Int?
        var upper = true
        for (numeral, semitones) in numerals {
            if rest.hasPrefix(numeral) {
                degree = semitones; upper = true; rest = rest.dropFirst(numeral.count); break
            }
            if rest.hasPrefix(numeral.lowercased()) {
                degree = semitones; upper = false; rest = rest.dropFirst(numeral.count); break
            }
        }
        guard let degree else { return nil }
        let quality: ChordQuality
        switch String(rest) {
        case "": quality = upper ? .major : .minor
        case "7": quality = upper ? .dominantSeventh : .minorSeventh
        case "maj7": quality = .majorSeventh
        case "9": quality = upper ? .dominantNinth : .minorNinth
        case "maj9": quality = .majorNinth
        case "6": quality = upper ? .sixth : .minorSixth
        case "o": quality = .diminished
        case "o7": quality = .diminishedSeventh
        case "h7": quality = .halfDiminished
        case "sus2": quality = .suspendedSecond
        case "sus4": quality = .suspendedFourth
        case "add9": quality = .addNine
        case "5": quality = .power
        case "+": quality = .augmented
        default: return nil
        }
        self.init(root: degree + shift, quality: quality)
    }

    /// Pitch classes (0..<12, relative to the tonic) of the chord tones.
    public var pitchClasses: [Int] { quality.intervals.map { (root + $0) % 12 } }
}
