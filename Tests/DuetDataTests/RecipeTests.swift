import DuetData
import DuetRandom
import Foundation
import Testing

@Suite("The recipe: views, positives and hard-negative batches")
struct RecipeTests {
    let entry = ManifestEntry(
        id: "item-1", audio: "a.wav",
        tags: ["genre": ["jazz", "funk"], "mood": ["calm"], "instrument": ["piano", "saxophone", "drums"]], split: .train)

    func recipe(captions: Bool, views: Bool, swap: Bool, seed: UInt64 = 3) throws -> Recipe {
        Recipe(useCaptions: captions, useViews: views, useTextSwap: swap, viewCount: 10, seed: seed,
               vocabulary: nil, dictionary: try SwapDictionary.bundled())
    }

    @Test func tagsOnlyIsOneViewOfEveryTag() throws {
        let views = try recipe(captions: false, views: false, swap: false).views(for: entry)
        #expect(views.count == 1)
        #expect(views[0].caption == nil && views[0].captionSwaps.isEmpty && views[0].tagListSwaps.isEmpty)
        #expect(Set(views[0].tagList.components(separatedBy: ", ")) == ["jazz", "funk", "calm", "piano", "saxophone", "drums"])
    }

    @Test func fullRecipeHasTenBalancedCaptionedViewsWithSwaps() throws {
        let texts = try recipe(captions: true, views: true, swap: true)
        let views = texts.views(for: entry)
        #expect(views.count == 10)
        for view in views {
            for (category, tags) in view.tags {
                #expect(!tags.isEmpty && Set(tags).isSubset(of: Set(entry.tags[category]!)))
            }
            #expect(Set(view.tags.keys) == Set(entry.tags.keys), "every category keeps a tag")
            #expect(view.caption != nil)
            #expect(!view.captionSwaps.isEmpty)
            for swap in view.captionSwaps + view.tagListSwaps {
                #expect(!entry.tags[swap.category]!.contains(swap.replacement.lowercased()))
            }
        }
        #expect(texts.views(for: entry) == views, "deterministic for a seed")
        #expect(try recipe(captions: true, views: true, swap: true, seed: 4).views(for: entry) != views)
    }

    @Test func batchMasksHardNegativesToTheirOwnRow() throws {
        let texts = try recipe(captions: true, views: true, swap: true)
        let entries = (0..<4).map { index in
            ManifestEntry(id: "item-\(index)", audio: "a.wav", tags: entry.tags, split: .train)
        }
        let views = entries.map { texts.views(for: $0) }
        var generator = SeededGenerator(seed: 1)
        let plain = Recipe.batch(views: views, captionProbability: 0.5, swapProbability: 0, using: &generator)
        #expect(plain.texts.count == 4 && plain.hardNegatives.isEmpty)

        let hard = Recipe.batch(views: views, captionProbability: 1, swapProbability: 1, using: &generator)
        let mask = hard.additiveMask()
        let columns = hard.texts.count
        #expect(hard.hardNegatives.count == columns - 4 && !hard.hardNegatives.isEmpty)
        for row in 0..<4 {
            let visible = (0..<columns).filter { mask[row * columns + $0] == 0 }
            #expect(visible.contains(row), "the positive is always visible")
            #expect(visible.count == 4, "hard negatives replace in-batch negatives one for one (row \(row) sees \(visible))")
        }
        // Every hard-negative column is visible to exactly one row.
        for column in 4..<columns {
            #expect((0..<4).filter { mask[$0 * columns + column] == 0 }.count == 1)
        }
    }
}
