/// Largest absolute difference between two equally long arrays.
public func largestDifference(_ lhs: [Float], _ rhs: [Float]) -> Float {
    precondition(lhs.count == rhs.count, "comparing \(lhs.count) values with \(rhs.count)")
    return zip(lhs, rhs).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// Whether every pair satisfies `|a - b| <= atol + rtol * |b|`; returns the largest difference too.
public func allClose(
    _ actual: [Float], _ expected: [Float], absoluteTolerance: Float, relativeTolerance: Float = 0
) -> (close: Bool, largestDifference: Float) {
    guard actual.count == expected.count else { return (false, .infinity) }
    var close = true
    var largest: Float = 0
    for (a, b) in zip(actual, expected) {
        let difference = abs(a - b)
        if !(difference <= absoluteTolerance + relativeTolerance * abs(b)) { close = false }
        largest = max(largest, difference.isNaN ? .infinity : difference)
    }
    return (close, largest)
}
