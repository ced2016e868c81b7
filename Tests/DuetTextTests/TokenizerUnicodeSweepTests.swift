import Foundation
import Testing
import DuetText

/// Opt-in: every Unicode scalar through the normaliser and pre-tokenizer, against the output of
/// `Scripts/reference/tokenizer_unicode_sweep.py` (too large to commit). Run with
/// `DUET_UNICODE_SWEEP=/tmp/duet_unicode_sweep.txt`.
@Suite struct TokenizerUnicodeSweepTests {
    static let path = ProcessInfo.processInfo.environment["DUET_UNICODE_SWEEP"]

    static func hexes(_ scalars: [Unicode.Scalar]) -> String {
        scalars.map { String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
    }

    @Test(.enabled(if: path != nil, "set DUET_UNICODE_SWEEP to the sweep file"))
    func everyScalarMatchesReference() throws {
        let text = try String(contentsOfFile: try #require(Self.path), encoding: .utf8)
        let normalizer = BertNormalizer()
        let preTokenizer = BertPreTokenizer()
        var checked = 0
        var mismatches: [String] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3, let value = UInt32(fields[0], radix: 16), let scalar = Unicode.Scalar(value) else {
                Issue.record("malformed sweep line \(line)")
                return
            }
            let normalized = normalizer.normalize(["a", scalar, "b"])
            let words = preTokenizer.split(normalized).map(Self.hexes).joined(separator: "|")
            if Self.hexes(normalized) != fields[1] || words != fields[2] {
                mismatches.append("U+\(fields[0]): reference \(fields[1]) [\(fields[2])], duet \(Self.hexes(normalized)) [\(words)]")
            }
            checked += 1
        }
        #expect(checked == 0x110000 - 0x800)
        #expect(mismatches.isEmpty, "\(mismatches.count) scalars differ:\n\(mismatches.prefix(20).joined(separator: "\n"))")
    }
}
