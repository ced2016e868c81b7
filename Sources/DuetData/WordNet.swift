import Foundation

/// A problem reading the WordNet database, naming the file and line.
public enum WordNetError: Error, LocalizedError, Equatable {
    case missing(path: String)
    case malformed(path: String, line: Int, reason: String)

    public var errorDescription: String? {
        switch self {
        case .missing(let path):
            "The WordNet database file \(path) is missing. Run `make setup` (installs Debian wordnet-base) or set DUET_WORDNET to its folder."
        case .malformed(let path, let line, let reason):
            "The WordNet file \(path) is malformed at line \(line): \(reason). Reinstall Debian wordnet-base."
        }
    }
}

/// Synonyms and similar words from the Princeton WordNet 3.0 database files (Debian
/// `wordnet-base`: `index.noun`, `data.noun`, `index.adj`, `data.adj`), read by Duet's own
/// parser of the documented `wndb(5WN)` format.
///
/// An index line is `lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt
/// synset_offset...` (offsets most frequent sense first); a data line is `offset lex_filenum
/// ss_type w_cnt word lex_id ... p_cnt [symbol offset pos source/target]... | gloss` with `w_cnt`
/// in hexadecimal. Only the nouns and adjectives are loaded (about 30 MB of text, read once).
public struct WordNet: Sendable {
    public enum PartOfSpeech: String, Sendable { case noun, adjective = "adj" }

    struct Synset: Sendable {
        var words: [String]
        /// Offsets of "similar to" (`&`) synsets (adjective clusters).
        var similar: [Int]
    }

    private var index: [PartOfSpeech: [String: [Int]]] = [:]
    private var synsets: [PartOfSpeech: [Int: Synset]] = [:]

    /// `DUET_WORDNET` or Debian's `/usr/share/wordnet`.
    public static var defaultFolder: URL {
        if let path = ProcessInfo.processInfo.environment["DUET_WORDNET"], !path.isEmpty {
            return URL(fileURLWithPath: path, isDirectory: true)
        }
        return URL(fileURLWithPath: "/usr/share/wordnet", isDirectory: true)
    }

    /// Loads the noun and adjective index and data files from `folder`.
    public init(folder: URL = WordNet.defaultFolder) throws(WordNetError) {
        for part in [PartOfSpeech.noun, .adjective] {
            index[part] = try Self.readIndex(folder.appendingPathComponent("index.\(part.rawValue)"))
            synsets[part] = try Self.readData(folder.appendingPathComponent("data.\(part.rawValue)"))
        }
    }

    /// Lemmas sharing the first `senses` senses of `lemma` (then, for adjectives, the lemmas of
    /// the synsets similar to them), in WordNet's order, without `lemma` itself; multi-word
    /// lemmas use spaces; adjective markers like `(a)` are removed.
    public func related(to lemma: String, as part: PartOfSpeech, senses: Int = 1) -> [String] {
        let key = lemma.lowercased().replacingOccurrences(of: " ", with: "_")
        guard let offsets = index[part]?[key] else { return [] }
        var result: [String] = []
        func add(_ words: [String]) {
            for word in words where word != lemma.lowercased() && !result.contains(word) { result.append(word) }
        }
        let chosen = offsets.prefix(senses).compactMap { synsets[part]?[$0] }
        for synset in chosen { add(synset.words) }
        for synset in chosen { for offset in synset.similar { add(synsets[part]?[offset]?.words ?? []) } }
        return result
    }

    private static func lines(of url: URL) throws(WordNetError) -> [Substring] {
        guard let data = FileManager.default.contents(atPath: url.path) else { throw .missing(path: url.path) }
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    }

    static func readIndex(_ url: URL) throws(WordNetError) -> [String: [Int]] {
        var result: [String: [Int]] = [:]
        for (number, line) in try lines(of: url).enumerated() where !line.isEmpty && !line.hasPrefix("  ") {
            let fields = line.split(separator: " ")
            guard fields.count >= 6, let synsetCount = Int(fields[2]), let pointerCount = Int(fields[3]) else {
                throw .malformed(path: url.path, line: number + 1, reason: "expected lemma, pos, synset_cnt and p_cnt")
            }
            let first = 4 + pointerCount + 2
            guard fields.count >= first + synsetCount else {
                throw .malformed(path: url.path, line: number + 1, reason: "\(synsetCount) synset offsets announced, \(max(0, fields.count - first)) found")
            }
            result[String(fields[0])] = fields[first..<(first + synsetCount)].compactMap { Int($0) }
        }
        return result
    }

    static func readData(_ url: URL) throws(WordNetError) -> [Int: Synset] {
        var result: [Int: Synset] = [:]
        for (number, line) in try lines(of: url).enumerated() where !line.isEmpty && !line.hasPrefix("  ") {
            let body = line.split(separator: "|", maxSplits: 1)[0]
            let fields = body.split(separator: " ")
            guard fields.count >= 4, let offset = Int(fields[0]), let wordCount = Int(fields[3], radix: 16) else {
                throw .malformed(path: url.path, line: number + 1, reason: "expected offset, lex_filenum, ss_type and a hexadecimal w_cnt")
            }
            let pointerField = 4 + 2 * wordCount
            guard fields.count > pointerField, let pointerCount = Int(fields[pointerField]),
                  fields.count >= pointerField + 1 + 4 * pointerCount else {
                throw .malformed(path: url.path, line: number + 1, reason: "the word or pointer list is shorter than its count")
            }
            var words: [String] = []
            for position in 0..<wordCount {
                var word = String(fields[4 + 2 * position]).lowercased().replacingOccurrences(of: "_", with: " ")
                if let marker = word.firstIndex(of: "(") { word = String(word[..<marker]) }
                words.append(word)
            }
            var similar: [Int] = []
            for pointer in 0..<pointerCount {
                let start = pointerField + 1 + 4 * pointer
                if fields[start] == "&", let target = Int(fields[start + 1]) { similar.append(target) }
            }
            result[offset] = Synset(words: words, similar: similar)
        }
        return result
    }
}
