import DuetRandom
import Testing

/// The choice helpers: their ranges, and their outputs for a seed (printed by the helpers before
/// they were merged into DuetRandom, so captions and the synthesised corpus stay as they were).
@Suite struct ChoiceTests {
    @Test func knownDrawsOfTheMultiplyShiftFamily() {
        var generator = SeededGenerator(seed: 1)
        #expect((0..<8).map { _ in generator.uniformIndex(below: 10) } == [7, 5, 5, 3, 6, 1, 0, 3])
        #expect(generator.shuffle(Array(0..<8)) == [0, 1, 2, 7, 4, 5, 3, 6])
        #expect((0..<5).map { _ in generator.choose(["a", "b", "c"]) } == ["c", "a", "b", "a", "a"])
    }

    @Test func knownDrawsOfTheModuloFamily() {
        var generator = SeededGenerator(seed: 1)
        #expect((0..<8).map { _ in generator.integer(in: 0...9) } == [7, 2, 0, 3, 1, 2, 6, 9])
        #expect(generator.permutation(8) == [4, 3, 2, 5, 6, 7, 0, 1])
        #expect((0..<5).map { _ in generator.pick(["a", "b", "c"]) } == ["b", "c", "c", "b", "b"])
        #expect((0..<5).map { _ in generator.weighted([("x", 1.0), ("y", 0.0), ("z", 3.0)]) } == [
            "z", "z", "z", "z", "z",
        ])
    }

    @Test func integersStayInTheirRanges() {
        var generator = SeededGenerator(seed: 2)
        var seenIndices = Set<Int>()
        var seenIntegers = Set<Int>()
        for _ in 0..<2_000 {
            let index = generator.uniformIndex(below: 7)
            #expect((0..<7).contains(index))
            seenIndices.insert(index)
            let integer = generator.integer(in: -3...3)
            #expect((-3...3).contains(integer))
            seenIntegers.insert(integer)
        }
        #expect(seenIndices == Set(0..<7))
        #expect(seenIntegers == Set(-3...3))
        #expect(generator.uniformIndex(below: 1) == 0)
        #expect(generator.integer(in: 4...4) == 4)
    }

    @Test func doublesStayInTheirRanges() {
        var generator = SeededGenerator(seed: 3)
        for _ in 0..<2_000 {
            let unit = generator.unitInterval()
            #expect(unit >= 0 && unit < 1)
            let value = generator.double(in: -2...5)
            #expect(value >= -2 && value <= 5)
        }
    }

    @Test func bernoulliDrawsNothingWhenCertainButChanceAlwaysDraws() {
        var bernoulli = SeededGenerator(seed: 4)
        let untouched = bernoulli
        #expect(bernoulli.bernoulli(0) == false)
        #expect(bernoulli.bernoulli(1.5) == true)
        #expect(bernoulli == untouched)
        var chance = SeededGenerator(seed: 4)
        #expect(chance.chance(0) == false)
        #expect(chance.chance(1) == true)
        #expect(chance != untouched)
    }

    @Test func bernoulliFrequencyIsNearItsProbability() {
        var generator = SeededGenerator(seed: 6)
        let hits = (0..<20_000).filter { _ in generator.bernoulli(0.3) }.count
        // Binomial standard deviation √(n p (1 − p)) ≈ 65; five of them is a loose, seed-independent bound.
        #expect(abs(hits - 6_000) < 325)
    }

    @Test func shuffleAndPermutationArePermutations() {
        var generator = SeededGenerator(seed: 8)
        for count in [0, 1, 2, 17] {
            #expect(generator.shuffle(Array(0..<count)).sorted() == Array(0..<count))
            #expect(generator.permutation(count).sorted() == Array(0..<count))
        }
    }

    @Test func weightedNeverDrawsNonPositiveWeights() {
        var generator = SeededGenerator(seed: 10)
        for _ in 0..<500 {
            let item = generator.weighted([("never", 0.0), ("yes", 2.0), ("negative", -1.0), ("also", 1.0)])
            #expect(item == "yes" || item == "also")
        }
        #expect(generator.weighted([("none", 0.0)]) == nil)
        #expect(generator.weighted([(String, Double)]()) == nil)
    }
}
