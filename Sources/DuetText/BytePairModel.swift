import Foundation

/// A byte-pair-encoding model (Sennrich et al. 2016) as GPT-2 and RoBERTa use it: a word (already
/// written in ``ByteLevelPreTokenizer/byteAlphabet`` characters) starts as single characters, and the
/// adjacent pair with the best (lowest) merge rank is merged everywhere in the word, left to right, until
/// no adjacent pair has a rank. The pieces are then looked up in the vocabulary.
///
/// With an ``endOfWordSuffix`` (CLIP's `</w>`, `tokenizers`' `end_of_word_suffix`) the word's last
/// character carries the suffix from the start, so pieces that end a word differ from those inside one.
///
/// Files: `vocab.json` (token → id) and `merges.txt` (`#version` line, then one "left right" pair per
/// line, best first), as `tokenizers` and `transformers` write them.
public struct BytePairModel: TokenModel {
    /// token → id.
    public let vocabulary: [String: Int32]
    /// "left right" → rank (0 is merged first).
    let ranks: [Pair: Int]
    /// The id of a piece missing from the vocabulary (none in a byte-level vocabulary, which holds all 256
    /// byte characters); such pieces are skipped when there is no unknown token.
    public let unknownIdentifier: Int32?
    /// Appended to the last character of every word before merging (CLIP: `</w>`); nil for GPT-2.
    public let endOfWordSuffix: String?

    struct Pair: Hashable {
        var left: String
        var right: String
    }

    public init(vocabulary: [String: Int32], merges: [(String, String)], unknownIdentifier: Int32? = nil, endOfWordSuffix: String? = nil) {
        self.vocabulary = vocabulary
        var ranks: [Pair: Int] = [:]
        for (rank, merge) in merges.enumerated() where ranks[Pair(left: merge.0, right: merge.1)] == nil {
            ranks[Pair(left: merge.0, right: merge.1)] = rank
        }
        self.ranks = ranks
        self.unknownIdentifier = unknownIdentifier
        self.endOfWordSuffix = endOfWordSuffix
    }

    /// Reads `vocab.json` and `merges.txt` from `directory`, strictly: every merge names two pieces and
    /// its result is in the vocabulary.
    /// - Throws: `TokenizerError.unreadableFile` or `.malformedFile` naming the file and line.
    public init(directory: URL) throws(TokenizerError) {
        let vocabularyURL = directory.appendingPathComponent("vocab.json")
        let mergesURL = directory.appendingPathComponent("merges.txt")
        let vocabularyData: Data
        let mergesText: String
        do {
            vocabularyData = try Data(contentsOf: vocabularyURL)
        } catch {
            throw .unreadableFile(path: vocabularyURL.path, reason: error.localizedDescription)
        }
        do {
            mergesText = try String(contentsOf: mergesURL, encoding: .utf8)
        } catch {
            throw .unreadableFile(path: mergesURL.path, reason: error.localizedDescription)
        }
        let vocabulary: [String: Int32]
        do {
            vocabulary = try JSONDecoder().decode([String: Int32].self, from: vocabularyData)
        } catch {
            throw .malformedFile(path: vocabularyURL.path, reason: "expected a JSON object of token → integer id (\(error))")
        }
        var merges: [(String, String)] = []
        for (index, line) in mergesText.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            if line.isEmpty || (index == 0 && line.hasPrefix("#version")) { continue }
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw .malformedFile(path: mergesURL.path, reason: "line \(index + 1): expected two pieces separated by one space, got \"\(line.prefix(80))\"")
            }
            guard vocabulary[String(parts[0] + parts[1])] != nil else {
                throw .malformedFile(path: mergesURL.path, reason: "line \(index + 1): the merge \"\(line)\" makes \"\(parts[0] + parts[1])\", which is not in vocab.json")
            }
            merges.append((String(parts[0]), String(parts[1])))
        }
        self.init(vocabulary: vocabulary, merges: merges)
    }

    public func tokenize(_ word: [Unicode.Scalar], ids: inout [Int32], tokens: inout [String]) {
        for piece in merge(word) {
            if let id = vocabulary[piece] {
                ids.append(id)
                tokens.append(piece)
            } else if let unknownIdentifier {
                ids.append(unknownIdentifier)
                tokens.append(piece)
            }
        }
    }

    /// The word's pieces after every merge that applies.
    func merge(_ word: [Unicode.Scalar]) -> [String] {
        var symbols = word.map { String($0) }
        if let endOfWordSuffix, !symbols.isEmpty { symbols[symbols.count - 1] += endOfWordSuffix }
        while symbols.count > 1 {
            var best: (rank: Int, index: Int)?
            for index in 0..<(symbols.count - 1) {
                if let rank = ranks[Pair(left: symbols[index], right: symbols[index + 1])], rank < best?.rank ?? Int.max {
                    best = (rank, index)
                }
            }
            guard let best else { break }
            let left = symbols[best.index], right = symbols[best.index + 1]
            var merged: [String] = []
            merged.reserveCapacity(symbols.count)
            var index = 0
            while index < symbols.count {
                if index + 1 < symbols.count && symbols[index] == left && symbols[index + 1] == right {
                    merged.append(left + right)
                    index += 2
                } else {
                    merged.append(symbols[index])
                    index += 1
                }
            }
            symbols = merged
        }
        return symbols
    }
}
