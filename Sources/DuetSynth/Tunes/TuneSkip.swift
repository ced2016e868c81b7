/// Why a tune of a tune book was left out of the corpus, and where.
///
/// The readers never fail on a tune: what they do not support is skipped and counted, so
/// `duet synth` reports how much of each collection it used and why the rest was not.
public struct TuneSkip: Sendable, Equatable, Error {
    public enum Reason: String, Sendable, CaseIterable, Comparable {
        case missingKeyField = "no K: field"
        case unsupportedKey = "a K: field naming no known key"
        case freeMeter = "free meter (M: none)"
        case unsupportedMeter = "a meter other than n/m, C or C|"
        case unsupportedLength = "an unreadable L: field"
        case multipleVoices = "several voices (V: or &)"
        case unsupportedSymbol = "a symbol the reader does not know"
        case unclosedGroup = "an unclosed chord, grace group, annotation or decoration"
        case misplacedBrokenRhythm = "a broken rhythm (> or <) without a note before it"
        case unbalancedRepeats = "repeats that do not terminate"
        case noNotes = "no notes"

        public static func < (lhs: Reason, rhs: Reason) -> Bool {
            (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
        }
    }

    /// The collection/file#number of the tune (`NotatedTune.identifier`).
    public var tune: String
    public var reason: Reason
    /// The offending text or field.
    public var detail: String

    public init(tune: String, reason: Reason, detail: String) {
        self.tune = tune
        self.reason = reason
        self.detail = detail
    }
}
