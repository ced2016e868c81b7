/// One training view of an item, prepared before training so that every text it can yield is known
/// and encoded once by the locked text encoder: a subset of the item's tags (all of them without
/// View Dropout), its caption (nil without tag-to-caption), its tag list ("jazz, calm, piano", order
/// fixed per view), and the TextSwap hard negatives of both (empty without TextSwap).
public struct RecipeView: Codable, Sendable, Equatable {
    public var tags: [String: [String]]
    public var caption: String?
    /// Where the caption came from: `template` (offline generator), `llm` (`duet augment` with a
    /// language model) or `template-fallback` (the model's caption was rejected); nil without a caption.
    public var captionSource: String?
    public var tagList: String
    public var captionSwaps: [TextSwap.Result]
    public var tagListSwaps: [TextSwap.Result]

    public init(
        tags: [String: [String]], caption: String?, captionSource: String? = nil, tagList: String,
        captionSwaps: [TextSwap.Result] = [], tagListSwaps: [TextSwap.Result] = []
    ) {
        self.tags = tags
        self.caption = caption
        self.captionSource = captionSource
        self.tagList = tagList
        self.captionSwaps = captionSwaps
        self.tagListSwaps = tagListSwaps
    }

    /// Every text of the view, hard negatives included.
    public var allTexts: [String] {
        [tagList] + (caption.map { [$0] } ?? []) + captionSwaps.map(\.text) + tagListSwaps.map(\.text)
    }
}
