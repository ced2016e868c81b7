import DuetTensor

extension SeededGenerator {
    /// Uniform integer in `range`.
    mutating func integer(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// Uniform double in `range`.
    mutating func double(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + Double(next() >> 11) * (1.0 / Double(1 << 53)) * (range.upperBound - range.lowerBound)
    }

    /// True with probability `probability`.
    mutating func chance(_ probability: Double) -> Bool {
        double(in: 0...1) < probability
    }

    /// One element, uniformly. `items` must not be empty (a programmer error otherwise).
    mutating func pick<T>(_ items: [T]) -> T {
        precondition(!items.isEmpty, "pick from an empty list")
        return items[Int(next() % UInt64(items.count))]
    }

    /// One item drawn with probability proportional to its weight (weights ≤ 0 never drawn).
    /// Items are given as an ordered list, never a dictionary, so draws are reproducible.
    mutating func weighted<T>(_ items: [(T, Double)]) -> T? {
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
