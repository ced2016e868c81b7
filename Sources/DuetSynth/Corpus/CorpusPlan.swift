import DuetData
import DuetRandom

/// The deterministic plan of a corpus: each item's id, split, tags and composition seed.
///
/// Item `i` draws everything from `SeededGenerator(seed).derived(stream: i)`, so an item does
/// not depend on the corpus size or on the other items. Splits come from one seeded permutation:
/// 80 % train, 10 % valid, 10 % test (rounded; at least one valid and one test item from 3 items on).
///
/// With tunes (`init(count:seed:tunes:tuneShare:)`), a share of the items play human-written tunes
/// instead of composed music: the slots are the first `round(count · share)` indices of a second
/// seeded permutation, slot `k` plays the `k`-th tune of a seeded shuffle of the tunes, and a
/// tune's split follows from the seed and its group (`NotatedTune.groupKey`), never from the slot,
/// so no tune (nor a variant with the same title) is in two splits. The other items are the same
/// as in a plan without tunes.
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
        /// The human-written tune the item plays (`TuneArranger`); nil for composed items (`Composer`).
        public var tune: NotatedTune?
    }

    public var seed: UInt64
    public var items: [Item]

    public init(count: Int, seed: UInt64) {
        self.init(count: count, seed: seed, tunes: [], tuneShare: 0)
    }

    /// A plan in which about `tuneShare` of the items play `tunes` (in the library's order).
    public init(count: Int, seed: UInt64, tunes: [NotatedTune], tuneShare: Double) {
        self.seed = seed
        let root = SeededGenerator(seed: seed)
        var splitGenerator = root.derived(stream: UInt64.max)
        let order = splitGenerator.permutation(count)
        let held = count >= 3 ? max(1, Int((Double(count) * 0.1).rounded())) : 0
        var splits = [Split](repeating: .train, count: count)
        for (rank, index) in order.enumerated() {
            if rank < held { splits[index] = .test } else if rank < 2 * held { splits[index] = .valid }
        }
        var tuneOfItem: [Int: NotatedTune] = [:]
        if !tunes.isEmpty, tuneShare > 0 {
            let tuneCount = min(count, Int((Double(count) * min(1, tuneShare)).rounded()))
            var slotGenerator = root.derived(stream: UInt64.max - 1)
            var tuneGenerator = root.derived(stream: UInt64.max - 2)
            let tuneOrder = tuneGenerator.permutation(tunes.count)
            for (rank, index) in slotGenerator.permutation(count).prefix(tuneCount).enumerated() {
                let tune = tunes[tuneOrder[rank % tunes.count]]
                tuneOfItem[index] = tune
                splits[index] = CorpusPlan.split(of: tune, seed: seed)
            }
        }
        items = (0..<count).map { index in
            var generator = root.derived(stream: UInt64(index))
            if let tune = tuneOfItem[index] {
                let compositionSeed = generator.next()
                var instrumentGenerator = SeededGenerator(seed: compositionSeed)
                let instruments = TuneInstrumentation.draw(for: tune, using: &instrumentGenerator).instruments
                return Item(
                    index: index, id: CorpusPlan.identifier(index), split: splits[index],
                    tags: ClipTags(genres: tune.genres, moods: [], instruments: instruments),
                    compositionSeed: compositionSeed, captionSeed: generator.next(), renderSeed: generator.next(), tune: tune)
            }
            let tags = TagSampler.sample(using: &generator)
            return Item(
                index: index, id: CorpusPlan.identifier(index), split: splits[index], tags: tags,
                compositionSeed: generator.next(), captionSeed: generator.next(), renderSeed: generator.next(), tune: nil)
        }
    }

    /// The split of a tune's group: 10 % test, 10 % valid, 80 % train by a stable hash of the seed and the group.
    public static func split(of tune: NotatedTune, seed: UInt64) -> Split {
        switch stableHash("\(seed)/\(tune.groupKey)") % 10 {
        case 0: .test
        case 1: .valid
        default: .train
        }
    }

    /// An opaque item id (the zero-padded index); it says nothing about the tags.
    public static func identifier(_ index: Int) -> String {
        let digits = String(index)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
