import DuetEncoders
import DuetFeatures
import DuetModel
import DuetTraining
import Foundation

/// Computes and caches a locked text encoder's token states (`[length, hidden]`, special tokens
/// included) for every distinct text not cached yet, in length-sorted chunks.
public struct TextFeatureExtractor {
    public let encoder: any LockedTextEncoder
    /// Which encoder `encoder` is, with its weights' fingerprint (part of the cache key): resolved by
    /// `Encoders.resolve` for the towers read from a folder.
    public let selection: TextEncoderSelection
    public let cache: FeatureCache
    /// Texts per encoder call between cache flushes.
    public var flushEvery = 2048

    public var kind: TextEncoderKind { selection.kind }

    public init(encoder: any LockedTextEncoder, selection: TextEncoderSelection, cache: FeatureCache) {
        self.encoder = encoder
        self.selection = selection
        self.cache = cache
    }

    /// An extractor for MiniLM or e5-small (encoders without a weights folder).
    public init(encoder: any LockedTextEncoder, kind: TextEncoderKind, cache: FeatureCache) {
        self.init(encoder: encoder, selection: TextEncoderSelection(kind: kind), cache: cache)
    }

    /// Makes sure every text in `texts` has cached token states.
    /// - Returns: how many texts were computed now (the rest were cached).
    @discardableResult
    public func extract(_ texts: some Sequence<String>, showsProgress: Bool = true) throws -> Int {
        var seen = Set<String>()
        let missing = texts.filter { seen.insert($0).inserted && !cache.text.contains(cache.textKey($0, encoder: selection)) }
        guard !missing.isEmpty else { return 0 }
        let progress = ProgressBar(label: "\(kind.displayName) token states", total: missing.count, enabled: showsProgress)
        for start in stride(from: 0, to: missing.count, by: flushEvery) {
            let chunk = Array(missing[start..<min(missing.count, start + flushEvery)])
            var reported = 0
            let states = try encoder.tokenStatesPerText(chunk) { done, _ in
                progress.advance(by: done - reported)
                reported = done
            }
            for (text, values) in zip(chunk, states) {
                let width = encoder.hiddenSize
                try cache.text.store(values, shape: [values.count / width, width], for: cache.textKey(text, encoder: selection))
            }
            try cache.text.flush()
        }
        progress.finish()
        return missing.count
    }

    /// The cached token states of `text` from `encoder`, or an error naming it.
    public static func states(of text: String, in cache: FeatureCache, encoder: TextEncoderSelection) throws -> [Float] {
        guard let features = cache.text.features(for: cache.textKey(text, encoder: encoder)) else {
            throw TrainingError.missingFeatures(what: "text '\(text)'")
        }
        return features.values
    }
}

extension TextFeatureExtractor {
    /// The cached token states of `text` from MiniLM or e5-small.
    public static func states(of text: String, in cache: FeatureCache, encoder: TextEncoderKind) throws -> [Float] {
        try states(of: text, in: cache, encoder: TextEncoderSelection(kind: encoder))
    }
}
