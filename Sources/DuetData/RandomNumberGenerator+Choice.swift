/// Small, platform-stable random helpers used by the text pipeline.
///
/// The standard library's `shuffled(using:)` and `randomElement(using:)` do not promise a fixed
/// algorithm across Swift versions; these do, so a seed gives the same captions, views and swaps
/// on every toolchain (which is what makes `duet augment` idempotent for a seed).
extension RandomNumberGenerator {
    /// A uniform integer in `0..<count` by Lemire's multiply-shift (bias below 2⁻³² for small counts).
    /// - Precondition: `count > 0`.
    public mutating func uniformIndex(below count: Int) -> Int {
        precondition(count > 0, "uniformIndex(below:) needs a positive count, got \(count)")
        let product = next().multipliedFullWidth(by: UInt64(count))
        return Int(product.high)
    }

    /// `true` with probability `probability` (clamped to `[0, 1]`), using 53 bits of the next value.
    public mutating func bernoulli(_ probability: Double) -> Bool {
        if probability <= 0 { return false }
        if probability >= 1 { return true }
        return Double(next() >> 11) * (1.0 / Double(UInt64(1) << 53)) < probability
    }

    /// One element of a non-empty array, uniformly.
    public mutating func choose<Element>(_ elements: [Element]) -> Element {
        elements[uniformIndex(below: elements.count)]
    }

    /// The array in a uniformly random order (Fisher–Yates from the back).
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
}

/// A stable 64-bit FNV-1a hash of a string's UTF-8 bytes, used to derive a per-item random stream
/// from a run seed so that results do not depend on item order or on resuming.
public func stableHash(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01b3
    }
    return hash
}
