import DuetRandom

/// Augmented View Dropout (paper, section 5.1): partial, category-balanced views of an item's tags.
///
/// A view keeps, in every category that has tags, a uniformly random number `k ∈ [1, n]` of its
/// `n` tags, chosen uniformly without replacement; empty categories stay absent. So every view is a
/// subset of the item's tags in which each tagged category keeps at least one tag ("balanced by
/// category": no view talks only about instruments when the item also has genres and moods).
/// Each view is then captioned by ``CaptionGenerator``; the paper uses 10 views per item.
public struct ViewDropout: Sendable {
    public var viewCount: Int
    public var captioner: CaptionGenerator

    public init(viewCount: Int = 10, captioner: CaptionGenerator) {
        precondition(viewCount > 0, "ViewDropout needs at least one view, got \(viewCount)")
        self.viewCount = viewCount
        self.captioner = captioner
    }

    /// One balanced random subset of `tags`; tag order within a category follows the item's order.
    public static func sampleTags<Generator: RandomNumberGenerator>(
        from tags: [String: [String]], using generator: inout Generator
    ) -> [String: [String]] {
        var view: [String: [String]] = [:]
        for category in tags.keys.sorted() {
            let list = tags[category] ?? []
            guard !list.isEmpty else { continue }
            let keep = 1 + generator.uniformIndex(below: list.count)
            let chosen = Set(generator.shuffle(Array(list.indices)).prefix(keep))
            view[category] = list.indices.filter(chosen.contains).map { list[$0] }
        }
        return view
    }

    /// `viewCount` views of an item, each with its tag subset and caption.
    public func views<Generator: RandomNumberGenerator>(
        of tags: [String: [String]], using generator: inout Generator
    ) -> [AugmentedView] {
        (0..<viewCount).map { _ in
            let subset = Self.sampleTags(from: tags, using: &generator)
            return AugmentedView(tags: subset, caption: captioner.caption(for: subset, using: &generator))
        }
    }
}

/// One view of an item: a subset of its tags and a caption saying exactly those tags.
public struct AugmentedView: Codable, Sendable, Equatable {
    public var tags: [String: [String]]
    public var caption: String
    /// Where the caption came from: `template` (offline generator), `llm`, or `template-fallback`
    /// (the language model's caption was rejected or failed).
    public var source: String?

    public init(tags: [String: [String]], caption: String, source: String? = nil) {
        self.tags = tags
        self.caption = caption
        self.source = source
    }
}
