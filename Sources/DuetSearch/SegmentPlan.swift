/// Where the segments of a track lie.
///
/// A track of `duration` seconds gets `c = min(maximumCount, max(1, ⌊duration / length⌋))`
/// non-overlapping segments of `length` seconds, centred in `c` equal parts of the range of
/// possible starts: `start_i = (duration − length) · (2i + 1) / (2c)`. So one segment sits in the
/// middle, and more spread evenly without favouring the intro or the fade-out. A track no longer
/// than `length` is one segment: the whole track.
public struct SegmentPlan: Sendable, Equatable {
    /// Start and end of each segment in seconds, in order.
    public var segments: [(start: Double, end: Double)]

    public init(duration: Double, length: Double, maximumCount: Int) {
        precondition(length > 0 && maximumCount > 0, "segment length \(length) and count \(maximumCount) must be positive")
        guard duration > length else {
            segments = [(0, duration)]
            return
        }
        let count = min(maximumCount, max(1, Int((duration / length).rounded(.down))))
        segments = (0..<count).map { index in
            let start = (duration - length) * Double(2 * index + 1) / Double(2 * count)
            return (start, start + length)
        }
    }

    public static func == (lhs: SegmentPlan, rhs: SegmentPlan) -> Bool {
        lhs.segments.count == rhs.segments.count && zip(lhs.segments, rhs.segments).allSatisfy { $0 == $1 }
    }
}
