import DuetRandom

/// The text a training pair uses as its positive, with the TextSwap variants prepared for that text.
public struct RecipePositive: Sendable, Equatable {
    public var text: String
    public var swaps: [TextSwap.Result]

    public init(text: String, swaps: [TextSwap.Result]) {
        self.text = text
        self.swaps = swaps
    }
}

/// Chooses the text side of a training pair from an item's views (paper, sections 4.1 and 5.1).
///
/// A view is chosen uniformly; with probability `captionProbability` (the paper's `p_cap`) the text
/// is its caption, otherwise its tag list ("jazz, calm, piano", order fixed per view). A view
/// without a caption (tag-to-caption off) always gives its tag list. `p_cap = 0` trains on tags
/// only, `p_cap = 1` on captions only; the paper finds 0.5 or more helps on well-curated tags.
public struct PositiveTextSampler: Sendable {
    public var captionProbability: Double

    public init(captionProbability: Double = 0.5) {
        precondition((0...1).contains(captionProbability), "p_cap must be in [0, 1], got \(captionProbability)")
        self.captionProbability = captionProbability
    }

    /// The positive for one pair; `views` must not be empty (every item has at least one view).
    public func positive<Generator: RandomNumberGenerator>(
        from views: [RecipeView], using generator: inout Generator
    ) -> RecipePositive {
        let view = generator.choose(views)
        if let caption = view.caption, generator.bernoulli(captionProbability) {
            return RecipePositive(text: caption, swaps: view.captionSwaps)
        }
        return RecipePositive(text: view.tagList, swaps: view.tagListSwaps)
    }
}
