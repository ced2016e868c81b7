/// What a request's `Range` header asks of a file of `fileSize` bytes (RFC 9110 §14).
///
/// One range is served as 206. A header this server does not take (another unit, several ranges, bad
/// syntax such as `bytes=5-2`) is ignored and the whole file is sent with 200, as §14.2 allows. A range that
/// starts at or past the end, or the empty suffix `bytes=-0`, is unsatisfiable (416).
enum ByteRange: Equatable {
    case whole
    case partial(ClosedRange<Int>)
    case unsatisfiable

    init(header: String?, fileSize: Int) {
        guard let header else { self = .whole; return }
        let trimmed = header.trimmingWhitespace
        guard trimmed.lowercased().hasPrefix("bytes=") else { self = .whole; return }
        let specification = trimmed.dropFirst("bytes=".count).trimmingWhitespace
        guard !specification.contains(","), let dash = specification.firstIndex(of: "-") else { self = .whole; return }
        let first = specification[..<dash].trimmingWhitespace
        let last = specification[specification.index(after: dash)...].trimmingWhitespace
        switch (Self.number(first), Self.number(last)) {
        case (nil, nil):
            self = .whole
        case (nil, let suffix?):
            // A suffix with a malformed first part (e.g. "x-5") is bad syntax, not a suffix.
            guard first.isEmpty else { self = .whole; return }
            guard suffix > 0, fileSize > 0 else { self = .unsatisfiable; return }
            self = .partial(max(0, fileSize - suffix)...(fileSize - 1))
        case (let start?, nil):
            guard last.isEmpty else { self = .whole; return }
            self = start < fileSize ? .partial(start...(fileSize - 1)) : .unsatisfiable
        case (let start?, let end?):
            guard start <= end else { self = .whole; return }
            self = start < fileSize ? .partial(start...min(end, fileSize - 1)) : .unsatisfiable
        }
    }

    /// Digits only; values too large for `Int` saturate (they are past the end of any file).
    private static func number(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int(text) ?? Int.max
    }
}

extension StringProtocol {
    fileprivate var trimmingWhitespace: String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
