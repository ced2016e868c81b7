/// One record of a CSV file: its fields and the line it starts on (1-based).
public struct CSVRecord: Sendable, Equatable {
    public var line: Int
    public var fields: [String]
}

/// A CSV file that breaks RFC 4180.
public struct CSVError: Error, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public var description: String { "line \(line): \(message)" }

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }
}

/// A small RFC 4180 reader: comma-separated fields, optional double quotes around a field, `""`
/// for a quote inside quotes, commas and line breaks allowed inside quotes, CRLF or LF line ends,
/// a leading UTF-8 byte-order mark ignored, an empty last line ignored.
///
/// Strict where RFC 4180 is: a quote inside an unquoted field, text after a closing quote, or an
/// unterminated quoted field is an error naming the line.
public enum CSVReader {
    public static func records(in text: String, separator: Character = ",") throws(CSVError) -> [CSVRecord] {
        var records: [CSVRecord] = []
        var fields: [String] = []
        var field = ""
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quotedField = false
        var afterClosingQuote = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = iterator.next()
        if pending == "\u{FEFF}" { pending = iterator.next() }
        let separatorScalar = separator.unicodeScalars.first!

        func endField() {
            fields.append(field)
            field = ""
            quotedField = false
            afterClosingQuote = false
        }
        while let scalar = pending {
            pending = iterator.next()
            if inQuotes {
                if scalar == "\"" {
                    if pending == "\"" {
                        field.unicodeScalars.append("\"")
                        pending = iterator.next()
                    } else {
                        inQuotes = false
                        afterClosingQuote = true
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case separatorScalar:
                endField()
            case "\r" where pending == "\n":
                continue
            case "\n", "\r":
                endField()
                records.append(CSVRecord(line: recordLine, fields: fields))
                fields = []
                line += 1
                recordLine = line
            case "\"":
                if afterClosingQuote || !field.isEmpty {
                    throw CSVError(line: line, message: "a quote inside an unquoted field (quote the whole field and double inner quotes)")
                }
                inQuotes = true
                quotedField = true
            default:
                if afterClosingQuote {
                    throw CSVError(line: line, message: "text after a closing quote in field \(fields.count + 1)")
                }
                field.unicodeScalars.append(scalar)
            }
        }
        if inQuotes { throw CSVError(line: recordLine, message: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || quotedField {
            endField()
            records.append(CSVRecord(line: recordLine, fields: fields))
        }
        return records
    }
}
