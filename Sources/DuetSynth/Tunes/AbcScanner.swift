/// Turns the music lines of one ABC tune into `AbcEvent`s (ABC standard 2.1, the subset that tune
/// books of single-line melodies use).
///
/// Supported: notes `A`-`G` (octave of middle C) and `a`-`g` (the octave above) with `'` and `,`
/// octave marks; accidentals `^`, `^^`, `_`, `__`, `=`, which hold for that pitch (letter and
/// octave) until the next bar line, over the key signature; lengths as multiples of the unit note
/// (`2`, `/`, `//`, `3/2`, `/4`); broken rhythm `>`/`<` (and `>>`, `<<`: 3:1 and 7:1); tuplets
/// `(p`, `(p:q` and `(p:q:r` with the standard default `q`; rests `z`/`x` and whole-bar rests `Z`;
/// ties `-`; chords `[ceg]` (the highest note is the tune's; a fiddle's double stop); bar lines,
/// repeats `|:` `:|` `::` and endings `[1` `|2`; inline fields `[K:]`, `[L:]`, `[M:]` and field lines
/// inside the body. Ignored, as they do not change the notes: chord symbols and annotations in
/// quotes, decorations (`!trill!`, `+fermata+`, `.`, `~` and the letters `h`-`w`, `H`-`W`), grace notes `{...}`, slurs, spacers `y`,
/// back-quotes and line continuations.
struct AbcScanner {
    var key: KeySignature
    /// The unit note length in quarter notes (`L:1/8` is 0.5).
    var unit: Double
    var meter: Meter
    private(set) var events: [AbcEvent] = []
    /// Explicit accidentals of this bar: diatonic step (octave·7 + letter index) → alteration.
    private var barAccidentals: [Int: Int] = [:]
    /// The length factor a broken rhythm leaves for the next note.
    private var brokenFactor: Double?
    /// The ratio and remaining notes of the current tuplet.
    private var tuplet: (factor: Double, remaining: Int)?

    init(key: KeySignature, unit: Double, meter: Meter) {
        self.key = key
        self.unit = unit
        self.meter = meter
    }

    static let letters: [Character] = ["C", "D", "E", "F", "G", "A", "B"]
    /// Single-character decorations: `.` and `~`, and the letters `h`-`w` and `H`-`W`, which ABC
    /// reserves for decorations (`U:` may redefine them; Ryan's Mammoth uses `u`, `v`, `k`, `T`, `S`, ...).
    static func isDecoration(_ character: Character) -> Bool {
        guard character.isASCII else { return false }
        return character == "." || character == "~" || ("h"..."w").contains(character) || ("H"..."W").contains(character)
    }

    /// Scans one line of music (comments and the trailing `\` already removed).
    mutating func scan(_ line: String) throws(TuneSkip.Reason) {
        let characters = Array(line)
        var index = 0
        func peek(_ offset: Int = 0) -> Character? {
            index + offset < characters.count ? characters[index + offset] : nil
        }
        func skip(past closing: Character) throws(TuneSkip.Reason) {
            index += 1
            while index < characters.count, characters[index] != closing { index += 1 }
            guard index < characters.count else { throw .unclosedGroup }
            index += 1
        }
        while index < characters.count {
            let character = characters[index]
            switch character {
            case " ", "\t", "`", "y", "\\", ")":
                index += 1
            case "\"":
                try skip(past: "\"")
            case "!", "+":
                try skip(past: character)
            case "{":
                try skip(past: "}")
            case _ where Self.isDecoration(character):
                index += 1
            case _ where character.isNumber && character.isASCII && events.last.map(Self.isBar) == true:
                // An ending whose bar line closed the previous line ("... |\n1 dB^c ... :|").
                events.append(.ending(character.wholeNumberValue ?? 1))
                index += 1
            case "&":
                throw .multipleVoices
            case "(":
                index += 1
                guard let digit = peek(), digit.isNumber else { continue }
                var numbers: [Int?] = []
                var current = ""
                while let next = peek(), next.isNumber || next == ":" {
                    if next == ":" { numbers.append(Int(current)); current = "" } else { current.append(next) }
                    index += 1
                }
                numbers.append(Int(current))
                guard let p = numbers[0], p >= 2 else { throw .unsupportedSymbol }
                let q = numbers.count > 1 ? numbers[1] : nil
                let r = numbers.count > 2 ? numbers[2] : nil
                tuplet = (Double(q ?? defaultTupletTime(p)) / Double(p), r ?? p)
            case "|", ":":
                var symbol = ""
                while let next = peek(), next == "|" || next == ":" || (next == "]" && symbol.last == "|")
                    || (next == "[" && peek(1) == "|") {
                    symbol.append(next)
                    index += 1
                }
                events.append(.bar(AbcBar(symbol: symbol)))
                barAccidentals = [:]
                if let digit = peek(), let number = digit.wholeNumberValue {
                    events.append(.ending(number))
                    index += 1
                    while let next = peek(), next.isNumber || next == "," || next == "-" { index += 1 }
                }
            case "[":
                if let next = peek(1), next == "|" {
                    index += 1
                    var symbol = "["
                    while let bar = peek(), bar == "|" || bar == ":" || bar == "]" { symbol.append(bar); index += 1 }
                    events.append(.bar(AbcBar(symbol: symbol)))
                    barAccidentals = [:]
                } else if let next = peek(1), let number = next.wholeNumberValue {
                    events.append(.ending(number))
                    index += 2
                    while let more = peek(), more.isNumber || more == "," || more == "-" { index += 1 }
                } else if let next = peek(1), next.isLetter, peek(2) == ":" {
                    let start = index + 3
                    try skip(past: "]")
                    try applyField(next, String(characters[start..<(index - 1)]))
                } else {
                    index += 1
                    var highest: (key: Int, length: Double)?
                    while let next = peek(), next != "]" {
                        if let note = try readNote(characters, &index) {
                            if let current = highest {
                                if note.key > current.key { highest = (note.key, current.length) }
                            } else {
                                highest = note
                            }
                        } else if next == "\"" || next == "!" {
                            try skip(past: next)
                        } else {
                            index += 1
                        }
                    }
                    guard peek() == "]", let chord = highest else { throw .unclosedGroup }
                    index += 1
                    let multiplier = try readLength(characters, &index)
                    append(key: chord.key, length: chord.length * multiplier)
                }
            case "-":
                index += 1
                if let last = events.lastIndex(where: { if case .note(let key, _, _) = $0 { key != nil } else { false } }),
                   case .note(let key, let length, _) = events[last] {
                    events[last] = .note(key: key, length: length, tied: true)
                }
            case ">", "<":
                var count = 0
                while peek() == character { count += 1; index += 1 }
                let small = 1 / Double(1 << count)
                let (before, after) = character == ">" ? (2 - small, small) : (small, 2 - small)
                guard let last = events.lastIndex(where: { if case .note = $0 { true } else { false } }),
                      last == events.count - 1, case .note(let key, let length, let tied) = events[last] else {
                    throw .misplacedBrokenRhythm
                }
                events[last] = .note(key: key, length: length * before, tied: tied)
                brokenFactor = after
            case "z", "x":
                index += 1
                append(key: nil, length: try readLength(characters, &index) * unit)
            case "Z", "X":
                index += 1
                var digits = ""
                while let next = peek(), next.isNumber { digits.append(next); index += 1 }
                events.append(.note(key: nil, length: Double(Int(digits) ?? 1) * meter.barLength, tied: false))
            default:
                guard let note = try readNote(characters, &index) else { throw .unsupportedSymbol }
                append(key: note.key, length: note.length)
            }
        }
    }

    static func isBar(_ event: AbcEvent) -> Bool {
        if case .bar = event { true } else { false }
    }

    /// Applies a field that may change inside the body (`K:`, `L:`, `M:`); others change no note.
    mutating func applyField(_ letter: Character, _ value: String) throws(TuneSkip.Reason) {
        switch letter {
        case "K":
            guard let parsed = KeySignature.abc(value) else { throw .unsupportedKey }
            key = parsed
        case "L":
            guard let length = AbcReader.unitLength(value) else { throw .unsupportedLength }
            unit = length
        case "M":
            if let parsed = try AbcReader.meter(value) { meter = parsed }
        case "V":
            throw .multipleVoices
        default:
            break
        }
    }

    /// `q` of a tuplet `(p` without it: 3 for 2, 4 and 8; 2 for 3 and 6; for 5, 7 and 9, 3 in compound meters, else 2.
    func defaultTupletTime(_ p: Int) -> Int {
        switch p {
        case 2, 4, 8: 3
        case 3, 6: 2
        default: meter.isCompound ? 3 : 2
        }
    }

    /// Adds a note or rest, applying a pending broken rhythm and the current tuplet.
    private mutating func append(key: Int?, length: Double) {
        var length = length
        if let factor = brokenFactor { length *= factor; brokenFactor = nil }
        if let current = tuplet {
            length *= current.factor
            tuplet = current.remaining > 1 ? (current.factor, current.remaining - 1) : nil
        }
        events.append(.note(key: key, length: length, tied: false))
    }

    /// Reads accidentals, a note letter, octave marks and a length at `index`; nil (index
    /// unchanged) when no note starts there.
    private mutating func readNote(_ characters: [Character], _ index: inout Int) throws(TuneSkip.Reason) -> (key: Int, length: Double)? {
        var cursor = index
        var alteration: Int?
        while cursor < characters.count, "^_=".contains(characters[cursor]) {
            switch characters[cursor] {
            case "^": alteration = (alteration ?? 0) + 1
            case "_": alteration = (alteration ?? 0) - 1
            default: alteration = 0
            }
            cursor += 1
        }
        guard cursor < characters.count, let upper = characters[cursor].uppercased().first,
              let letterIndex = Self.letters.firstIndex(of: upper), characters[cursor].isASCII else {
            if alteration != nil { throw .unsupportedSymbol }
            return nil
        }
        var octave = characters[cursor].isUppercase ? 4 : 5
        cursor += 1
        while cursor < characters.count, characters[cursor] == "'" || characters[cursor] == "," {
            octave += characters[cursor] == "'" ? 1 : -1
            cursor += 1
        }
        let step = octave * 7 + letterIndex
        if let alteration { barAccidentals[step] = alteration }
        let altered = barAccidentals[step] ?? key.alteration(of: upper)
        let midi = 12 * (octave + 1) + (KeySignature.letterPitch[upper] ?? 0) + altered
        let multiplier = try readLength(characters, &cursor)
        index = cursor
        return (min(127, max(0, midi)), multiplier * unit)
    }

    /// Reads a length multiplier (`3`, `/`, `//`, `3/2`, `/4`) at `index`; 1 when there is none.
    private func readLength(_ characters: [Character], _ index: inout Int) throws(TuneSkip.Reason) -> Double {
        var numerator = ""
        while index < characters.count, characters[index].isASCII, characters[index].isNumber { numerator.append(characters[index]); index += 1 }
        var value = Double(Int(numerator) ?? 1)
        while index < characters.count, characters[index] == "/" {
            index += 1
            var denominator = ""
            while index < characters.count, characters[index].isASCII, characters[index].isNumber { denominator.append(characters[index]); index += 1 }
            guard let divisor = denominator.isEmpty ? 2 : Int(denominator), divisor > 0 else { throw .unsupportedSymbol }
            value /= Double(divisor)
        }
        return value
    }
}
