import Foundation

/// The split an item belongs to.
public enum Split: String, Codable, Sendable, CaseIterable {
    case train, valid, test
}

/// One item of a Duet manifest: one line of a JSONL file.
///
/// ```json
/// {"audio":"audio/000001.wav","captions":["a calm piano piece"],"id":"000001","split":"train",
///  "tags":{"genre":["jazz"],"instrument":["piano","double bass"],"mood":["calm"]}}
/// ```
/// - `id`: unique within the manifest.
/// - `audio`: path of the audio file, relative to the manifest's folder (absolute paths allowed).
/// - `start`, `end`: optional segment bounds in seconds.
/// - `tags`: tags by category; `genre`, `mood` and `instrument` are the categories the recipe
///   balances and swaps, any other named category (e.g. `era`) is kept and captioned.
/// - `captions`: optional free-text descriptions (human-written for evaluation sets), in English.
/// - `captions_by_language`: optional captions of the same item in other languages, keyed by
///   ISO 639-1 code (`"de"`, `"fr"`, ...); English stays in `captions`.
/// - `split`: `train`, `valid` or `test`.
/// - `metadata`: optional string map carried through untouched.
public struct ManifestEntry: Codable, Sendable, Equatable, Hashable {
    public var id: String
    public var audio: String
    public var start: Double?
    public var end: Double?
    public var tags: [String: [String]]
    public var captions: [String]?
    /// Captions in languages other than English, by ISO 639-1 code.
    public var captionsByLanguage: [String: [String]]?
    public var split: Split
    public var metadata: [String: String]?

    enum CodingKeys: String, CodingKey {
        case id, audio, start, end, tags, captions, split, metadata
        case captionsByLanguage = "captions_by_language"
    }

    public init(
        id: String, audio: String, start: Double? = nil, end: Double? = nil, tags: [String: [String]],
        captions: [String]? = nil, captionsByLanguage: [String: [String]]? = nil, split: Split,
        metadata: [String: String]? = nil
    ) {
        self.id = id
        self.audio = audio
        self.start = start
        self.end = end
        self.tags = tags
        self.captions = captions
        self.captionsByLanguage = captionsByLanguage
        self.split = split
        self.metadata = metadata
    }

    /// The language of `captions`.
    public static let captionLanguage = "en"

    /// The item's captions in a language: `captions` for English, `captions_by_language[code]`
    /// otherwise; empty when there are none.
    public func captions(inLanguage code: String) -> [String] {
        code == Self.captionLanguage ? captions ?? [] : captionsByLanguage?[code] ?? []
    }

    /// The entry as one JSON line with sorted keys (byte-identical for equal entries), without newline.
    public func encodedLine() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

/// The tag categories the Augment, Drop & Swap recipe knows by name.
public enum TagCategory {
    public static let genre = "genre"
    public static let mood = "mood"
    public static let instrument = "instrument"
    /// Tempo words from beats per minute (``tempoTag(beatsPerMinute:)``).
    public static let tempo = "tempo"
    /// The decade a recording comes from ("1970s").
    public static let era = "era"
    /// The categories that View Dropout balances and TextSwap perturbs, in caption order.
    public static let descriptors = [genre, mood, instrument]

    /// The tempo tag of a piece: slow below 80 BPM, medium tempo below 110, fast below 140, else very fast.
    public static func tempoTag(beatsPerMinute: Double) -> String {
        switch beatsPerMinute {
        case ..<80: "slow"
        case ..<110: "medium tempo"
        case ..<140: "fast"
        default: "very fast"
        }
    }

    /// The era tag of a year: its decade ("1970s").
    public static func eraTag(year: Int) -> String { "\(year / 10 * 10)s" }
}
