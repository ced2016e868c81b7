import Foundation

/// A request's query string, decoded strictly: names must be known to the route, values percent-decode
/// (`+` is a space), numbers parse fully and lie in their range. Each failure is a 400 naming the parameter.
struct QueryParameters {
    private(set) var pairs: [(name: String, value: String)] = []

    init(_ query: String?) throws(APIError) {
        guard let query, !query.isEmpty else { return }
        for piece in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0], what: "a parameter name")
            let value = parts.count == 2 ? try Self.decode(parts[1], what: "the value of '\(name)'") : ""
            pairs.append((name, value))
        }
    }

    /// Refuses names the route does not take, listing the ones it does.
    func requireOnly(_ allowed: [String]) throws(APIError) {
        for pair in pairs where !allowed.contains(pair.name) {
            let takes = allowed.isEmpty ? "no parameters" : allowed.joined(separator: ", ")
            throw .badRequest("unknown parameter '\(Self.clip(pair.name))'; this route takes \(takes)")
        }
    }

    /// Every value of a repeatable parameter, in order.
    func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    /// The one value of a parameter, nil when absent; given twice is an error.
    func single(_ name: String) throws(APIError) -> String? {
        let values = all(name)
        guard values.count <= 1 else { throw .badRequest("parameter '\(name)' is given \(values.count) times; give it once") }
        return values.first
    }

    /// A non-empty text value of at most `maximumLength` characters, surrounding spaces removed.
    func text(_ name: String, maximumLength: Int) throws(APIError) -> String? {
        guard let raw = try single(name) else { return nil }
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else { throw .badRequest("parameter '\(name)' is empty") }
        guard value.count <= maximumLength else {
            throw .badRequest("parameter '\(name)' has \(value.count) characters; the limit is \(maximumLength)")
        }
        return value
    }

    /// A whole number in `range`.
    func integer(_ name: String, in range: ClosedRange<Int>) throws(APIError) -> Int? {
        guard let raw = try single(name) else { return nil }
        return try Self.integer(raw, name: name, in: range)
    }

    static func integer(_ raw: String, name: String, in range: ClosedRange<Int>) throws(APIError) -> Int {
        guard let value = Int(raw), range.contains(value) else {
            throw .badRequest(
                "parameter '\(name)' must be a whole number in \(range.lowerBound)...\(range.upperBound), got '\(clip(raw))'")
        }
        return value
    }

    /// A finite number in `range`.
    func number(_ name: String, in range: ClosedRange<Double>) throws(APIError) -> Double? {
        guard let raw = try single(name) else { return nil }
        guard let value = Double(raw), value.isFinite, range.contains(value) else {
            throw .badRequest(
                "parameter '\(name)' must be a number in \(Self.format(range.lowerBound))...\(Self.format(range.upperBound)), "
                    + "got '\(Self.clip(raw))'")
        }
        return value
    }

    private static func decode(_ text: Substring, what: String) throws(APIError) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        guard let decoded = spaced.removingPercentEncoding else {
            throw .badRequest("\(what) is not valid percent-encoded UTF-8: '\(clip(String(text)))'")
        }
        return decoded
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// Echoed input is shortened so an error never repeats a huge request back.
    static func clip(_ text: String) -> String { text.count <= 64 ? text : String(text.prefix(64)) + "…" }
}
