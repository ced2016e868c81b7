import DuetData
import DuetTensor

/// A TextSwap variant prepared ahead of training, so that its locked text features can be cached.
public struct PreparedSwap: Codable, Sendable, Equatable {
    public var category: String
    public var original: String
    public var replacement: String
    public var text: String
}

/// One training view of an item: a subset of its tags (all of them without View Dropout), its
/// caption (nil without tag-to-caption), its tag list ("jazz, calm, piano", order fixed per view),
/// and TextSwap hard negatives of both (empty without TextSwap).
public struct PreparedView: Codable, Sendable, Equatable {
    public var tags: [String: [String]]
    public var caption: String?
    public var tagList: String
    public var captionSwaps: [PreparedSwap]
    public var tagListSwaps: [PreparedSwap]

    /// Every text of the view, hard negatives included.
    public var allTexts: [String] {
        [tagList] + (caption.map { [$0] } ?? []) + captionSwaps.map(\.text) + tagListSwaps.map(\.text)
    }
}

/// The text side of the *Augment, Drop & Swap* recipe, prepared once per item so that every text
/// a training run can draw is known in advance and encoded once by the locked text encoder.
///
/// Which steps are on follows the paper's ablation (Table 4):
/// - tags only: one view of all tags, texts are tag lists;
/// - + tag-to-caption: the view also has a caption, chosen with probability `p_cap` per pair;
/// - + Augmented View Dropout: `viewCount` category-balanced views of tag subsets, each captioned;
/// - + TextSwap: each view's caption and tag list get one swap per descriptor category they
///   mention, used as hard negatives with the curriculum's probability.
///
/// All randomness is seeded by `(seed, item id)`: the same manifest gives the same texts.
public struct RecipeTexts: Sendable {
    public var useCaptions: Bool
    public var useViews: Bool
    public var useTextSwap: Bool
    public var viewCount: Int
    public var seed: UInt64
    public let captioner: CaptionGenerator
    public let swap: TextSwap

    public init(configuration: TrainingConfiguration, vocabulary: TagVocabulary?, dictionary: SwapDictionary) {
        useCaptions = configuration.useCaptions
        useViews = configuration.useViews
        useTextSwap = configuration.useTextSwap
        viewCount = configuration.viewCount
        seed = configuration.seed
        captioner = CaptionGenerator(vocabulary: vocabulary, dictionary: dictionary)
        swap = TextSwap(dictionary: dictionary, vocabulary: vocabulary)
    }

    /// The views of one item.
    public func views(for entry: ManifestEntry) -> [PreparedView] {
        var generator = SeededGenerator(seed: seed ^ ContentHash(entry.id).value)
        let subsets: [[String: [String]]] = useViews
            ? (0..<viewCount).map { _ in ViewDropout.sampleTags(from: entry.tags, using: &generator) }
            : [entry.tags]
        return subsets.map { tags in
            let ordered = CaptionGenerator.categoryOrder(tags).flatMap { tags[$0] ?? [] }
            let tagList = generator.shuffle(ordered).joined(separator: ", ")
            let caption = useCaptions ? captioner.caption(for: tags, using: &generator) : nil
            func swaps(of text: String?) -> [PreparedSwap] {
                guard useTextSwap, let text else { return [] }
                return swap.hardNegatives(caption: text, tags: entry.tags, using: &generator).map {
                    PreparedSwap(category: $0.category, original: $0.original, replacement: $0.replacement, text: $0.text)
                }
            }
            return PreparedView(tags: tags, caption: caption, tagList: tagList,
                                captionSwaps: swaps(of: caption), tagListSwaps: swaps(of: tagList))
        }
    }

    /// The texts of one training batch: per item a uniformly chosen view, its caption with
    /// probability `captionProbability` (else its tag list), and — with probability
    /// `swapProbability` per pair — that text's prepared swaps as hard negatives, each replacing
    /// one random in-batch negative of that row only (the masking rule of `ContrastiveTextBatch`).
    public static func batch(
        views: [[PreparedView]], captionProbability: Double, swapProbability: Double,
        using generator: inout SeededGenerator
    ) -> TrainingTextBatch {
        var texts: [String] = []
        var chosenSwaps: [[PreparedSwap]] = []
        for itemViews in views {
            let view = generator.choose(itemViews)
            let useCaption = view.caption != nil && generator.bernoulli(captionProbability)
            texts.append(useCaption ? view.caption! : view.tagList)
            chosenSwaps.append(useCaption ? view.captionSwaps : view.tagListSwaps)
        }
        let rows = views.count
        var hardNegatives: [HardNegativeColumn] = []
        var replaced = [[Int]](repeating: [], count: rows)
        if swapProbability > 0 {
            for row in 0..<rows where !chosenSwaps[row].isEmpty && generator.bernoulli(swapProbability) {
                let swaps = Array(chosenSwaps[row].prefix(rows - 1))
                for swap in swaps {
                    hardNegatives.append(HardNegativeColumn(
                        row: row, column: rows + hardNegatives.count, category: swap.category,
                        original: swap.original, replacement: swap.replacement))
                    texts.append(swap.text)
                }
                let others = (0..<rows).filter { $0 != row }
                replaced[row] = Array(generator.shuffle(others).prefix(swaps.count)).sorted()
            }
        }
        guard !hardNegatives.isEmpty else { return TrainingTextBatch(texts: texts) }
        let batch = ContrastiveTextBatch(texts: texts, rowCount: rows, hardNegatives: hardNegatives, replacedColumns: replaced)
        return TrainingTextBatch(texts: texts, audioToTextMask: batch.additiveMask(), hardNegativeCount: hardNegatives.count)
    }
}
