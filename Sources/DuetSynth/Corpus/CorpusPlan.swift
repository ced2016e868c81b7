import DuetData
import DuetRandom

/// The deterministic plan of a corpus: each item's id, split, tags and composition seed.
///
/// Item `i` draws everything from `SeededGenerator(seed).derived(stream: i)`, so an item does
/// not depend on the corpus size or on the other items. Splits come from one seeded permutation:
/// 80 % train, 10 % valid, 10 % test (rounded; at least one valid and one test item from 3 items on).
public struct CorpusPlan: Sendable {
    public struct Item: Sendable, Equatable {
        public var index: Int
        public var id: String
        public var split: Split
        public var tags: ClipTags
        public var compositionSeed: UInt64
        public var captionSeed: UInt64
        /// Seeds the soundfont choice and the audio augmentation.
        public var renderSeed: UInt64
    }

    public var seed: UInt64
    public var items: [Item]

    public init(count: Int, seed: UInt64) {
        self.seed = seed
        let root = SeededGenerator(seed: seed)
        var splitGenerator = root.derived(stream: UInt64.max)
        let order = splitGenerator.permutation(count)
        let held = count >= 3 ? max(1, Int((Double(count) * 0.1).rounded())) : 0
        var splits = [Split](repeating: .train, count: count)
        for (rank, index) in order.enumerated() {
            if rank < held { splits[index] = .test } else if rank < 2 * held { splits[index] = .valid }
        }
        items = (0..<count).map { index in
            var generator = root.derived(stream: UInt64(index))
            let tags = TagSampler.sample(using: &generator)
            return Item(
                index: index, id: CorpusPlan.identifier(index), split: splits[index], tags: tags,
                compositionSeed: generator.next(), captionSeed: generator.next(), renderSeed: generator.next())
        }
    }

    /// An opaque item id (the zero-padded index); it says nothing about the tags.
    public static func identifier(_ index: Int) -> String {
        let digits = String(index)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
