import DuetRandom

/// The text side of the *Augment, Drop & Swap* recipe: the one implementation that training,
/// evaluation, the demo and the experiments call.
///
/// Which steps are on follows the paper's ablation (Table 4):
/// - tags only: one view of all tags, texts are tag lists;
/// - + tag-to-caption: the view also has a caption, chosen with probability `p_cap` per pair
///   (``PositiveTextSampler``);
/// - + Augmented View Dropout: `viewCount` category-balanced views of tag subsets, each captioned
///   (``ViewDropout``), or the views `duet augment` wrote (offline or language-model captions,
///   ``ItemViews``) when they are given;
/// - + TextSwap: each view's caption and tag list get one swap per descriptor category they mention
///   (``TextSwap``), used as hard negatives with the curriculum's probability (``HardNegativeBatchBuilder``).
///
/// Views are prepared once per item so that every text a run can draw is encoded once by the locked
/// text encoder. All randomness is seeded by `(seed, item id)`: the same manifest gives the same texts.
public struct Recipe: Sendable {
    public var useCaptions: Bool
    public var useViews: Bool
    public var useTextSwap: Bool
    public var viewCount: Int
    public var seed: UInt64
    public let captioner: CaptionGenerator
    public let swap: TextSwap

    public init(
        useCaptions: Bool, useViews: Bool, useTextSwap: Bool, viewCount: Int, seed: UInt64,
        vocabulary: TagVocabulary?, dictionary: SwapDictionary
    ) {
        precondition(viewCount >= 1, "the recipe needs at least one view per item, got \(viewCount)")
        self.useCaptions = useCaptions
        self.useViews = useViews
        self.useTextSwap = useTextSwap
        self.viewCount = viewCount
        self.seed = seed
        captioner = CaptionGenerator(vocabulary: vocabulary, dictionary: dictionary)
        swap = TextSwap(dictionary: dictionary, vocabulary: vocabulary)
    }

    /// The views of one item. With View Dropout on and `augmented` given (the item's line of a
    /// `duet augment` views file), its views and captions are used as written — that is how
    /// language-model captions reach training; otherwise views are drawn by ``ViewDropout``.
    public func views(for entry: ManifestEntry, augmented: ItemViews? = nil) -> [RecipeView] {
        var generator = SeededGenerator(seed: seed ^ stableHash(entry.id))
        let drawn: [AugmentedView]
        if useViews, let augmented, !augmented.views.isEmpty {
            drawn = augmented.views
        } else if useViews {
            drawn = ViewDropout(viewCount: viewCount, captioner: captioner).views(of: entry.tags, using: &generator)
        } else {
            drawn = [AugmentedView(tags: entry.tags, caption: captioner.caption(for: entry.tags, using: &generator), source: "template")]
        }
        return drawn.map { view in
            let ordered = CaptionGenerator.categoryOrder(view.tags).flatMap { view.tags[$0] ?? [] }
            let tagList = generator.shuffle(ordered).joined(separator: ", ")
            let caption = useCaptions ? view.caption : nil
            func swaps(of text: String?) -> [TextSwap.Result] {
                guard useTextSwap, let text else { return [] }
                return swap.hardNegatives(caption: text, tags: entry.tags, using: &generator)
            }
            return RecipeView(
                tags: view.tags, caption: caption, captionSource: caption == nil ? nil : (view.source ?? "template"),
                tagList: tagList, captionSwaps: swaps(of: caption), tagListSwaps: swaps(of: tagList))
        }
    }

    /// The texts of one training batch: per item a positive from its views (``PositiveTextSampler``)
    /// and, with probability `swapProbability` per row, that text's prepared swaps as hard negatives
    /// masked to their own row (``HardNegativeBatchBuilder``).
    public static func batch<Generator: RandomNumberGenerator>(
        views: [[RecipeView]], captionProbability: Double, swapProbability: Double, using generator: inout Generator
    ) -> ContrastiveTextBatch {
        let sampler = PositiveTextSampler(captionProbability: captionProbability)
        let positives = views.map { sampler.positive(from: $0, using: &generator) }
        return HardNegativeBatchBuilder.build(positives: positives, probability: swapProbability, using: &generator)
    }
}
