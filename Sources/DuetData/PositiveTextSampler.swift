/// Chooses the text side of a training pair from an item's views (paper, sections 4.1 and 5.1).
///
/// With probability `captionProbability` (the paper's `p_cap`) the text is the caption of a
/// uniformly chosen view; otherwise it is the tag list of a uniformly chosen view, tags in a random
/// order joined by ", " ("jazz, calm, piano"). `p_cap = 0` trains on tags only, `p_cap = 1` on
/// captions only; the paper finds 0.5 or more helps on well-curated tags.
public struct PositiveTextSampler: Sendable {
    public var captionProbability: Double

    public init(captionProbability: Double = 0.5) {
        precondition((0...1).contains(captionProbability), "p_cap must be in [0, 1], got \(captionProbability)")
        self.captionProbability = captionProbability
    }

    /// The text for one pair. `views` must not be empty; `tags` are used when there are none.
    public func text<Generator: RandomNumberGenerator>(
        views: [AugmentedView], tags: [String: [String]], using generator: inout Generator
    ) -> String {
        let useCaption = generator.bernoulli(captionProbability)
        guard !views.isEmpty else {
            let all = CaptionGenerator.categoryOrder(tags).flatMap { tags[$0] ?? [] }
            return generator.shuffle(all).joined(separator: ", ")
        }
        let view = generator.choose(views)
        if useCaption { return view.caption }
        let all = CaptionGenerator.categoryOrder(view.tags).flatMap { view.tags[$0] ?? [] }
        return generator.shuffle(all).joined(separator: ", ")
    }
}
