import Foundation

/// Reads the tunes of an ABC tune book (ABC standard 2.1): each tune starts at an `X:` line, its
/// header runs to the `K:` line, and its body to the next blank line or `X:`.
///
/// Header fields kept: `T:` (title), `M:` (meter: `n/m`, `C` = 4/4, `C|` = 2/2), `L:` (unit note
/// length; by default 1/16 below a meter of 3/4, else 1/8), `Q:` (tempo: `1/4=100` or a bare number
/// of unit notes), `K:` (key) and every other field's first value (`O:` origin, `R:` rhythm, ...).
/// The notes come from `AbcScanner`, the playing order from `RepeatExpansion`. A tune this reader
/// cannot play is skipped with a `TuneSkip` and reading goes on.
public enum AbcReader {
    /// The tunes of a file and the ones left out.
    public struct Book: Sendable {
        public var tunes: [NotatedTune]
        public var skipped: [TuneSkip]
    }

    /// Reads the text of one file of `collection`.
    public static func read(_ text: String, collection: TuneCollection, file: String) -> Book {
        var tunes: [NotatedTune] = []
        var skipped: [TuneSkip] = []
        var current: [String] = []
        var number = 0
        func finish() {
            defer { current = [] }
            guard !current.isEmpty else { return }
            let identifier = "\(collection.rawValue)/\(file)#\(number)"
            do {
                tunes.append(try tune(lines: current, collection: collection, file: file, number: number))
            } catch {
                skipped.append(TuneSkip(tune: identifier, reason: error.reason, detail: error.detail))
            }
        }
        var inBody = false
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = String(rawLine)
            if line.hasPrefix("X:") {
                finish()
                number = Int(line.dropFirst(2).trimmingCharacters(in: .whitespaces)) ?? 0
                current = [line]
                inBody = false
                continue
            }
            guard !current.isEmpty else { continue }
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                if inBody { finish() }
                continue
            }
            if line.hasPrefix("K:") { inBody = true }
            current.append(line)
        }
        finish()
        return Book(tunes: tunes, skipped: skipped)
    }

    /// A skip reason with the text that caused it.
    struct Failure: Error {
        var reason: TuneSkip.Reason
        var detail: String
    }

    static func tune(lines: [String], collection: TuneCollection, file: String, number: Int) throws(Failure) -> NotatedTune {
        var fields: [Character: String] = [:]
        var index = 1
        var keyLine: String?
        while index < lines.count {
            let line = lines[index]
            index += 1
            guard let letter = fieldLetter(line) else { continue }
            let value = String(line.dropFirst(2)).trimmingCharacters(in: .whitespaces)
            if letter == "K" { keyLine = value; break }
            if fields[letter] == nil { fields[letter] = value }
        }
        guard let keyLine else { throw Failure(reason: .missingKeyField, detail: "") }
        guard let key = KeySignature.abc(keyLine) else { throw Failure(reason: .unsupportedKey, detail: keyLine) }
        let meterText = fields["M"] ?? "4/4"
        let parsedMeter: Meter?
        do { parsedMeter = try meter(meterText) } catch { throw Failure(reason: error, detail: meterText) }
        guard let meter = parsedMeter else { throw Failure(reason: .freeMeter, detail: meterText) }
        let unit: Double
        if let lengthText = fields["L"] {
            guard let parsed = unitLength(lengthText) else { throw Failure(reason: .unsupportedLength, detail: lengthText) }
            unit = parsed
        } else {
            unit = Double(meter.numerator) / Double(meter.denominator) < 0.75 ? 0.25 : 0.5
        }
        var scanner = AbcScanner(key: key, unit: unit, meter: meter)
        for line in lines[index...] {
            var music = line
            if let comment = music.firstIndex(of: "%") { music = String(music[..<comment]) }
            if let letter = fieldLetter(music), !"ABCDEFGabcdefg".contains(letter) {
                do { try scanner.applyField(letter, String(music.dropFirst(2))) } catch { throw Failure(reason: error, detail: music) }
                continue
            }
            // Some transcriptions went through e-mail: a quoted-printable "=20" (a space) or soft
            // line break "=" ends the line, and "=3D" stands for "=". An accidental never ends a line.
            if music.contains("=3D") { music = music.replacingOccurrences(of: "=3D", with: "=") }
            while music.last?.isWhitespace == true { music.removeLast() }
            if music.hasSuffix("=20") { music.removeLast(3) } else if music.hasSuffix("=") { music.removeLast() }
            do { try scanner.scan(music) } catch { throw Failure(reason: error, detail: music) }
        }
        let expanded: RepeatExpansion
        do { expanded = try RepeatExpansion(scanner.events) } catch { throw Failure(reason: error, detail: "") }
        guard !expanded.notes.isEmpty else { throw Failure(reason: .noNotes, detail: "") }
        let quarterNotesPerMinute = fields["Q"].flatMap { tempo($0, unit: unit) }
        return NotatedTune(
            collection: collection, file: file, number: number,
            title: fields["T"] ?? "", fields: fields, meter: meter, key: key,
            quarterNotesPerMinute: quarterNotesPerMinute, notes: expanded.notes, barStarts: expanded.barStarts,
            length: expanded.length)
    }

    /// The field letter of a line like `K:G` (a letter, a colon); nil for music.
    static func fieldLetter(_ line: String) -> Character? {
        let characters = line.prefix(2)
        guard characters.count == 2, let letter = characters.first, letter.isASCII, letter.isLetter, characters.last == ":" else { return nil }
        return letter
    }

    /// `M:` values: `n/m` (also `n/m` with spaces), `C`, `C|`; nil for `none`.
    static func meter(_ text: String) throws(TuneSkip.Reason) -> Meter? {
        let value = text.split(separator: "%").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        switch value {
        case "none", "": return nil
        case "C": return Meter(numerator: 4, denominator: 4)
        case "C|": return Meter(numerator: 2, denominator: 2)
        default:
            let parts = value.split(separator: "/").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let numerator = Int(parts[0]), let denominator = Int(parts[1]),
                  numerator > 0, [1, 2, 4, 8, 16].contains(denominator) else { throw .unsupportedMeter }
            return Meter(numerator: numerator, denominator: denominator)
        }
    }

    /// `L:` value `1/8` as quarter notes (0.5).
    static func unitLength(_ text: String) -> Double? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/")
        guard parts.count == 2, let numerator = Double(parts[0]), let denominator = Double(parts[1]), numerator > 0, denominator > 0 else {
            return nil
        }
        return 4 * numerator / denominator
    }

    /// `Q:` value as quarter notes per minute: `1/4=100`, `3/8=60`, `"Allegro" 1/4=120`, or a bare
    /// number of unit notes per minute.
    static func tempo(_ text: String, unit: Double) -> Double? {
        var value = text
        while let open = value.firstIndex(of: "\""), let close = value[value.index(after: open)...].firstIndex(of: "\"") {
            value.removeSubrange(open...close)
        }
        value = value.trimmingCharacters(in: .whitespaces)
        let sides = value.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
        if sides.count == 2, let length = unitLength(sides[0]), let perMinute = Double(sides[1]), perMinute > 0 {
            return perMinute * length
        }
        if sides.count == 1, let perMinute = Double(sides[0]), perMinute > 0 { return perMinute * unit }
        return nil
    }
}

extension TuneSkip.Reason: Error {}
