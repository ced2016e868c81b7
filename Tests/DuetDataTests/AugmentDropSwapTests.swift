import DuetData
import DuetRandom
import Testing

@Suite("View Dropout, TextSwap, curriculum and batches")
struct AugmentDropSwapTests {
    let captioner = CaptionGenerator(vocabulary: Fixtures.vocabulary, dictionary: Fixtures.dictionary)
    let swapper = TextSwap(dictionary: Fixtures.dictionary, vocabulary: Fixtures.vocabulary)

    @Test func dictionaryCoversTheCorpusTags() {
        let corpus: [String: [String]] = [
            "genre": ["rock", "pop", "jazz", "blues", "funk", "classical", "electronic", "ambient", "folk", "latin", "reggae",
                      "metal", "hip hop", "country"],
            "mood": ["happy", "sad", "calm", "energetic", "dark", "romantic", "tense", "uplifting", "melancholic", "playful"],
            "instrument": ["drums", "bass", "piano", "organ", "acoustic guitar", "electric guitar", "distorted guitar", "strings",
                           "violin", "cello", "flute", "clarinet", "saxophone", "trumpet", "synth lead", "synth pad", "choir",
                           "harp", "vibraphone", "electric piano"],
        ]
        for (category, tags) in corpus {
            let known = Set(Fixtures.dictionary.alternatives[category] ?? [])
            #expect(known.count >= 60, "\(category) has only \(known.count) alternatives")
            for tag in tags { #expect(known.contains(tag), "\(category) lacks \(tag)") }
        }
    }

    @Test func viewsAreBalancedSubsets() {
        var random = SeededGenerator(seed: 7)
        let dropout = ViewDropout(viewCount: 10, captioner: captioner)
        for _ in 0..<200 {
            let tags = Fixtures.randomTags(using: &random)
            let views = dropout.views(of: tags, using: &random)
            #expect(views.count == 10)
            for view in views {
                for (category, list) in tags {
                    let kept = view.tags[category] ?? []
                    #expect(!kept.isEmpty, "view \(view.tags) lost category \(category) of \(tags)")
                    #expect(Set(kept).isSubset(of: Set(list)) && Set(kept).count == kept.count)
                }
                #expect(Set(view.tags.keys).isSubset(of: Set(tags.keys)))
                let check = CaptionCheck(caption: view.caption, tags: view.tags, lexicon: captioner.lexicon, vocabulary: Fixtures.vocabulary)
                #expect(check.isFaithful, "\(view.tags) → \(view.caption)")
            }
        }
    }

    @Test func swapChangesExactlyOneDescriptorAndNeverATrueTag() {
        var random = SeededGenerator(seed: 11)
        var attempted = 0
        var swapped = 0
        let lexicon = swapper.lexicon
        for _ in 0..<400 {
            let tags = Fixtures.randomTags(using: &random)
            let caption = captioner.caption(for: tags, using: &random)
            var itemLexicon = DescriptorLexicon()
            itemLexicon.add(tags: tags, vocabulary: Fixtures.vocabulary)
            let before = lexicon.mentions(in: caption, extra: itemLexicon)
            let truth = Set(tags.flatMap { category, list in
                list.map { DescriptorSense(category: category, canonical: Fixtures.vocabulary.canonical($0, in: category) ?? $0) }
            })
            for category in swapper.categories(in: caption, tags: tags) {
                attempted += 1
                guard let result = swapper.swap(caption: caption, tags: tags, category: category, using: &random) else { continue }
                swapped += 1
                let after = lexicon.mentions(in: result.text, extra: itemLexicon)
                #expect(after.count == before.count, "\(caption) → \(result.text)")
                guard after.count == before.count else { continue }
                let changed = before.indices.filter { before[$0].words != after[$0].words }
                #expect(changed.count == 1, "\(caption) → \(result.text)")
                for index in changed {
                    #expect(before[index].senses.contains { $0.category == category })
                    #expect(after[index].senses.contains { $0.category == category })
                    #expect(after[index].senses.isDisjoint(with: truth), "\(result.text) re-creates a true tag of \(tags)")
                    // Outside the descriptor and its article, the text is untouched.
                    let suffixBefore = caption[before[index].range.upperBound...]
                    let suffixAfter = result.text[after[index].range.upperBound...]
                    #expect(suffixBefore == suffixAfter, "\(caption) → \(result.text)")
                    let prefixBefore = caption[..<before[index].range.lowerBound]
                    let prefixAfter = result.text[..<after[index].range.lowerBound]
                    let trimmed = { (text: Substring) -> Substring in
                        for article in ["a ", "an ", "A ", "An "] where text.hasSuffix(article) { return text.dropLast(article.count) }
                        return text
                    }
                    #expect(trimmed(prefixBefore) == trimmed(prefixAfter), "\(caption) → \(result.text)")
                    if prefixAfter.hasSuffix("a ") || prefixAfter.hasSuffix("A ") || prefixAfter.hasSuffix("an ") || prefixAfter.hasSuffix("An ") {
                        let article = prefixAfter.hasSuffix("n ") ? "an" : "a"
                        #expect(EnglishGrammar.indefiniteArticle(for: result.replacement) == article, "\(result.text)")
                    }
                }
            }
        }
        #expect(attempted > 500)
        #expect(Double(swapped) >= 0.97 * Double(attempted), "only \(swapped) of \(attempted) swaps succeeded")
    }

    @Test func swapKeepsPluralAndArticle() {
        var random = SeededGenerator(seed: 5)
        let tags = ["genre": ["rock"], "mood": ["energetic"], "instrument": ["distorted guitar", "drums"]]
        for _ in 0..<50 {
            let result = swapper.swap(caption: "Energetic rock with distorted guitars and drums.", tags: tags, category: "instrument", using: &random)
            #expect(result != nil)
            if let result, result.original == "distorted guitars" {
                #expect(EnglishGrammar.isPlural(result.replacement) || EnglishGrammar.isUncountable(result.replacement), "\(result.text)")
            }
            let mood = swapper.swap(caption: "A calm jazz piece.", tags: ["genre": ["jazz"], "mood": ["calm"]], category: "mood", using: &random)
            if let mood {
                let article = EnglishGrammar.indefiniteArticle(for: mood.replacement)
                #expect(mood.text == "\(EnglishGrammar.capitalisingFirst(article)) \(mood.replacement) jazz piece.", "\(mood.text)")
            } else {
                Issue.record("no mood swap")
            }
        }
    }

    @Test func curriculumMatchesItsFormula() {
        let curriculum = SwapCurriculum()
        for epoch in 0..<60 {
            let expected = epoch < 5 ? 0 : 0.15 * min(1, Double(epoch - 5) / 20)
            #expect(abs(curriculum.probability(epoch: epoch) - expected) < 1e-12, "epoch \(epoch)")
        }
        #expect(curriculum.probability(epoch: 15) == 0.075)
        let custom = SwapCurriculum(warmupEpochs: 2, rampEpochs: 4, maximumProbability: 0.4)
        #expect(custom.probability(epoch: 1) == 0 && custom.probability(epoch: 4) == 0.2 && custom.probability(epoch: 9) == 0.4)
    }

    @Test func batchMaskReplacesInBatchNegatives() {
        var random = SeededGenerator(seed: 13)
        let positives = (0..<16).map { _ -> RecipePositive in
            let tags = Fixtures.randomTags(using: &random)
            let caption = captioner.caption(for: tags, using: &random)
            return RecipePositive(text: caption, swaps: swapper.hardNegatives(caption: caption, tags: tags, using: &random))
        }
        var first = SeededGenerator(seed: 99)
        var second = SeededGenerator(seed: 99)
        let batch = HardNegativeBatchBuilder.build(positives: positives, probability: 1, using: &first)
        #expect(batch == HardNegativeBatchBuilder.build(positives: positives, probability: 1, using: &second))
        #expect(batch.hardNegatives.count > 16, "only \(batch.hardNegatives.count) hard negatives")
        let mask = batch.additiveMask()
        for row in 0..<batch.rowCount {
            let visible = (0..<batch.columnCount).filter { mask[row * batch.columnCount + $0] == 0 }
            #expect(visible.count == batch.rowCount, "row \(row) sees \(visible.count) columns")
            #expect(visible.contains(row))
            #expect(batch.replacedColumns[row].count == batch.hardNegativeColumns(of: row).count)
            for column in batch.hardNegativeColumns(of: row) {
                #expect(visible.contains(column))
                #expect(batch.texts[column] != positives[row].text)
            }
        }
        let off = HardNegativeBatchBuilder.build(positives: positives, probability: 0, using: &first)
        #expect(off.columnCount == 16 && off.additiveMask().allSatisfy { $0 == 0 })
    }
}

extension AugmentDropSwapTests {
    @Test func positiveTextFollowsCaptionProbability() {
        let views = [RecipeView(tags: ["genre": ["jazz"], "mood": ["calm"]], caption: "A calm jazz piece.", tagList: "jazz, calm")]
        var random = SeededGenerator(seed: 17)
        for probability in [0.0, 0.5, 1.0] {
            let sampler = PositiveTextSampler(captionProbability: probability)
            var captions = 0
            for _ in 0..<2000 {
                let text = sampler.positive(from: views, using: &random).text
                if text == "A calm jazz piece." { captions += 1 } else { #expect(text == "jazz, calm", "\(text)") }
            }
            let share = Double(captions) / 2000
            #expect(abs(share - probability) < 0.04, "p_cap \(probability): captions \(share) of the time")
        }
    }

    @Test func swapWorksOnTagListsAndHumanCaptions() {
        var random = SeededGenerator(seed: 23)
        let tags = ["genre": ["hip hop"], "mood": ["dark"], "instrument": ["synth pad", "drums"]]
        for _ in 0..<50 {
            let negatives = swapper.hardNegatives(caption: "hip hop, dark, synth pad, drums", tags: tags, using: &random)
            #expect(negatives.map(\.category) == ["genre", "mood", "instrument"], "\(negatives)")
            for negative in negatives {
                #expect(negative.text.split(separator: ",").count == 4, "\(negative.text)")
            }
            let human = swapper.swap(
                caption: "A dark hip-hop beat with a synth pad, booming drums and an eerie feel.", tags: tags,
                category: "genre", using: &random)
            #expect(human?.original == "hip-hop")
            #expect(human.map { $0.text.hasSuffix(" beat with a synth pad, booming drums and an eerie feel.") } == true, "\(String(describing: human))")
        }
    }
}
