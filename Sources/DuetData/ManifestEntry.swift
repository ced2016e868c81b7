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
/// - `captions`: optional free-text descriptions (human-written for evaluation sets).
/// - `split`: `train`, `valid` or `test`.
/// - `metadata`: optional string map carried through untouched.
public struct ManifestEntry: Codable, Sendable, Equatable, Hashable {
    public var id: String
    public var audio: String
    public var start: Double?
    public var end: Double?
    public var tags: [String: [String]]
    public var captions: [String]?
    public var split: Split
    public var metadata: [String: String]?

    public init(
        id: String, audio: String, start: Double? = nil, end: Double? = nil, tags: [String: [String]],
        captions: [String]? = nil, split: Split, metadata: [String: String]? = nil
    ) {
        self.id = id
        self.audio = audio
        self.start = start
        self.end = end
        self.tags = tags
        self.captions = captions
        self.split = split
        self.metadata = metadata
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
    /// The categories that View Dropout balances and TextSwap perturbs, in caption order.
    public static let descriptors = [genre, mood, instrument]
}
