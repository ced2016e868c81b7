import Foundation

/// Captions from a language model, checked against the tags, with an on-disk cache.
///
/// A caption is accepted only if ``CaptionCheck`` finds every tag (by any synonym) and no genre,
/// mood or instrument outside the tags; otherwise it is rejected and the caller falls back to the
/// offline generator. Answers are cached whether accepted or not, so a rerun makes no request
/// for a tag set it has already asked about and reaches the same decision.
public struct LanguageModelCaptioner: Sendable {
    public var client: ChatCompletionClient
    public var prompt: CaptionPrompt
    public var cache: CaptionCache?
    public var lexicon: DescriptorLexicon
    public var vocabulary: TagVocabulary?

    public init(client: ChatCompletionClient, prompt: CaptionPrompt, cache: CaptionCache?, lexicon: DescriptorLexicon, vocabulary: TagVocabulary?) {
        self.client = client
        self.prompt = prompt
        self.cache = cache
        self.lexicon = lexicon
        self.vocabulary = vocabulary
    }

    /// What happened to one request.
    public enum Outcome: Sendable, Equatable {
        case accepted(String, cached: Bool)
        case rejected(String, dropped: [String], invented: [String], cached: Bool)
        case failed(String)

        public var caption: String? {
            if case .accepted(let caption, _) = self { return caption }
            return nil
        }
    }

    /// Counts over a run.
    public struct Report: Sendable, Equatable, Codable {
        public var accepted = 0
        public var rejected = 0
        public var failed = 0
        public var cached = 0

        public init() {}

        public mutating func add(_ outcome: Outcome) {
            switch outcome {
            case .accepted(_, let cached): accepted += 1; if cached { self.cached += 1 }
            case .rejected(_, _, _, let cached): rejected += 1; if cached { self.cached += 1 }
            case .failed: failed += 1
            }
        }
    }

    /// One caption for `tags`.
    public func caption(for tags: [String: [String]]) async -> Outcome {
        let messages = prompt.messages(for: tags)
        let key = CaptionCache.key(model: client.configuration.model, messages: messages)
        var answer = cache?.caption(for: key)
        let cached = answer != nil
        if answer == nil {
            do {
                let text = try await client.complete(messages)
                answer = text
                try cache?.store(text, for: key)
            } catch {
                return .failed(error.localizedDescription)
            }
        }
        let caption = answer ?? ""
        let check = CaptionCheck(caption: caption, tags: tags, lexicon: lexicon, vocabulary: vocabulary)
        if caption.isEmpty || !check.isFaithful {
            return .rejected(caption, dropped: check.dropped, invented: check.invented, cached: cached)
        }
        return .accepted(caption, cached: cached)
    }

    /// Captions for many tag sets, at most `client.configuration.concurrency` requests in flight,
    /// results in input order.
    public func captions(for tagSets: [[String: [String]]]) async -> [Outcome] {
        let limit = max(1, client.configuration.concurrency)
        return await withTaskGroup(of: (Int, Outcome).self) { group in
            var results = [Outcome?](repeating: nil, count: tagSets.count)
            var next = 0
            while next < min(limit, tagSets.count) {
                let index = next
                group.addTask { (index, await self.caption(for: tagSets[index])) }
                next += 1
            }
            while let (index, outcome) = await group.next() {
                results[index] = outcome
                if next < tagSets.count {
                    let newIndex = next
                    group.addTask { (newIndex, await self.caption(for: tagSets[newIndex])) }
                    next += 1
                }
            }
            return results.map { $0 ?? .failed("not run") }
        }
    }
}
