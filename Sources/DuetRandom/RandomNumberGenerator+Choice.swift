/// Platform-stable random helpers: the one set every target uses (text augmentation, the
/// procedural corpus, batching).
///
/// The standard library's `shuffled(using:)` and `randomElement(using:)` do not promise a fixed
/// algorithm across Swift versions; these do, so a seed gives the same captions, views, swaps and
/// rendered corpus on every toolchain (which is what makes `duet augment` and `duet synth`
/// idempotent for a seed).
///
/// Two integer reductions live here, each pinned by what was generated with it:
/// - `uniformIndex(below:)` (Lemire's multiply-shift) under `choose` and `shuffle`, used by the
///   text pipeline (captions, View Dropout, TextSwap, hard-negative batches);
/// - `integer(in:)` (the next value modulo the range's width) under `pick` and `permutation`, used
///   by the composer and the corpus plans.
/// Moving either family to the other reduction would change every seeded caption or every
/// rendered corpus, so they stay apart until those are regenerated on purpose.
extension RandomNumberGenerator {
    /// A uniform integer in `0..<count` by Lemire's multiply-shift (bias below 2⁻³² for small counts).
    /// - Precondition: `count > 0`.
    public mutating func uniformIndex(below count: Int) -> Int {
        precondition(count > 0, "uniformIndex(below:) needs a positive count, got \(count)")
        let product = next().multipliedFullWidth(by: UInt64(count))
        return Int(product.high)
    }

    /// A uniform integer in `range`: the next value modulo the range's width (bias below
    /// width / 2⁶⁴, negligible for the small ranges it is used on).
    public mutating func integer(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// Uniform in `[0, 1)` from the top 53 bits of the next value.
    public mutating func unitInterval() -> Double {
        Double(next() >> 11) * (1.0 / Double(UInt64(1) << 53))
    }

    /// Uniform in `range`: `lower + u · (upper − lower)` with `u = unitInterval()`.
    public mutating func double(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + unitInterval() * (range.upperBound - range.lowerBound)
    }

    /// `true` with probability `probability` (clamped to `[0, 1]`); draws nothing when the answer is
    /// certain.
    public mutating func bernoulli(_ probability: Double) -> Bool {
        if probability <= 0 { return false }
        if probability >= 1 { return true }
        return unitInterval() < probability
    }

    /// `true` with probability `probability`; unlike `bernoulli`, always draws one value, so the
    /// stream after it does not depend on the probability.
    public mutating func chance(_ probability: Double) -> Bool {
        unitInterval() < probability
    }

    /// One element of a non-empty array, uniformly, by `uniformIndex(below:)`.
    public mutating func choose<Element>(_ elements: [Element]) -> Element {
        elements[uniformIndex(below: elements.count)]
    }

    /// One element of a non-empty array, uniformly, by `integer(in:)`. An empty array is a
    /// programmer error.
    public mutating func pick<Element>(_ elements: [Element]) -> Element {
        precondition(!elements.isEmpty, "pick from an empty list")
        return elements[integer(in: 0...(elements.count - 1))]
    }

    /// The array in a uniformly random order (Fisher–Yates from the back, by `uniformIndex(below:)`).
    public mutating func shuffle<Element>(_ elements: [Element]) -> [Element] {
        var result = elements
        var index = result.count - 1
        while index > 0 {
            let other = uniformIndex(below: index + 1)
            result.swapAt(index, other)
            index -= 1
        }
        return result
    }

    /// A uniformly random permutation of `0..<count` (Fisher–Yates from the back, by `integer(in:)`).
    public mutating func permutation(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        guard count > 1 else { return order }
        for index in stride(from: count - 1, to: 0, by: -1) {
            order.swapAt(index, integer(in: 0...index))
        }
        return order
    }

    /// One item drawn with probability proportional to its weight (weights ≤ 0 never drawn), or
    /// `nil` when no weight is positive. Items are an ordered list, never a dictionary, so draws
    /// are reproducible.
    public mutating func weighted<Item>(_ items: [(Item, Double)]) -> Item? {
        let total = items.reduce(0) { $0 + max(0, $1.1) }
        guard total > 0 else { return nil }
        var threshold = double(in: 0...1) * total
        for (item, weight) in items where weight > 0 {
            threshold -= weight
            if threshold < 0 { return item }
        }
        return items.last { $0.1 > 0 }?.0
    }
}
