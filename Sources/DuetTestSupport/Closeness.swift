import Testing

/// Largest absolute difference between two equally long arrays.
public func largestDifference(_ lhs: [Float], _ rhs: [Float]) -> Float {
    precondition(lhs.count == rhs.count, "comparing \(lhs.count) values with \(rhs.count)")
    return zip(lhs, rhs).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// Where two arrays differ most, relative to a tolerance: the one comparison every numeric test makes.
public struct Comparison: CustomStringConvertible, Sendable {
    /// Whether every pair satisfies `|actual - expected| <= absolute + relative * |expected|`.
    public let passed: Bool
    /// Largest `|actual - expected|` (infinity when a value is NaN or the counts differ).
    public let largestDifference: Float
    /// Index of the element whose excess over its own bound is largest (the worst offender).
    public let worstIndex: Int?
    public let worstActual: Float
    public let worstExpected: Float
    public let tolerance: Tolerance
    public let count: Int

    public var description: String {
        guard let worstIndex else { return "counts differ or nothing compared (\(count) values)" }
        return "largest difference \(largestDifference) over \(count) values; worst at [\(worstIndex)]: "
            + "\(worstActual) vs \(worstExpected) (\(tolerance))"
    }
}

/// Compares element by element; see `Comparison`.
public func compare(_ actual: [Float], _ expected: [Float], _ tolerance: Tolerance) -> Comparison {
    guard actual.count == expected.count, !actual.isEmpty else {
        return Comparison(passed: false, largestDifference: actual.count == expected.count ? 0 : .infinity,
                          worstIndex: nil, worstActual: .nan, worstExpected: .nan, tolerance: tolerance, count: actual.count)
    }
    var passed = true
    var largest: Float = 0
    var worst = 0
    var worstExcess = -Float.infinity
    for index in actual.indices {
        let difference = abs(actual[index] - expected[index])
        let bound = tolerance.absolute + tolerance.relative * abs(expected[index])
        let excess = difference.isNaN ? .infinity : difference - bound
        if !(difference <= bound) { passed = false }
        largest = max(largest, difference.isNaN ? .infinity : difference)
        if excess > worstExcess { worstExcess = excess; worst = index }
    }
    return Comparison(passed: passed, largestDifference: largest, worstIndex: worst, worstActual: actual[worst],
                      worstExpected: expected[worst], tolerance: tolerance, count: actual.count)
}

/// Records a test issue naming the largest difference and where it is when `actual` is not within
/// `tolerance` of `expected`; returns the comparison for tests that report it.
@discardableResult
public func expectClose(
    _ actual: [Float], _ expected: [Float], _ tolerance: Tolerance, _ what: @autoclosure () -> String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) -> Comparison {
    let comparison = compare(actual, expected, tolerance)
    if !comparison.passed {
        let label = what()
        Issue.record("\(label.isEmpty ? "" : label + ": ")\(comparison)", sourceLocation: sourceLocation)
    }
    return comparison
}

/// Scalar form of `expectClose`.
@discardableResult
public func expectClose(
    _ actual: Float, _ expected: Float, _ tolerance: Tolerance, _ what: @autoclosure () -> String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) -> Comparison {
    expectClose([actual], [expected], tolerance, what(), sourceLocation: sourceLocation)
}
