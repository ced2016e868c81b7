/// Keeps the `k` best `(score, row)` pairs of a stream in a binary min-heap: `O(n log k)`, and
/// `O(n)` comparisons once the heap is full and most scores fall below its worst entry.
///
/// Order: higher score first; equal scores by lower row first, so results never depend on the
/// order rows were visited in.
struct TopKSelector {
    let capacity: Int
    private(set) var scores: [Float] = []
    private(set) var rows: [Int] = []

    init(capacity: Int) {
        precondition(capacity >= 0, "capacity must not be negative, got \(capacity)")
        self.capacity = capacity
        scores.reserveCapacity(capacity)
        rows.reserveCapacity(capacity)
    }

    /// Whether `(a, ra)` ranks below `(b, rb)`.
    @inline(__always)
    static func worse(_ a: Float, _ ra: Int, than b: Float, _ rb: Int) -> Bool {
        a < b || (a == b && ra > rb)
    }

    /// The worst kept score, or -infinity while the heap is not full.
    @inline(__always)
    var threshold: Float { scores.count < capacity ? -.infinity : scores[0] }

    @inline(__always)
    mutating func offer(_ score: Float, row: Int) {
        guard capacity > 0, !score.isNaN else { return }
        if scores.count < capacity {
            scores.append(score)
            rows.append(row)
            siftUp(scores.count - 1)
        } else if Self.worse(scores[0], rows[0], than: score, row) {
            scores[0] = score
            rows[0] = row
            siftDown(0)
        }
    }

    /// The kept pairs, best first.
    func sorted() -> [(row: Int, score: Float)] {
        zip(rows, scores).map { (row: $0, score: $1) }
            .sorted { Self.worse($1.score, $1.row, than: $0.score, $0.row) }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.worse(scores[child], rows[child], than: scores[parent], rows[parent]) else { return }
            scores.swapAt(child, parent)
            rows.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        let count = scores.count
        while true {
            let left = 2 * parent + 1, right = left + 1
            var worst = parent
            if left < count && Self.worse(scores[left], rows[left], than: scores[worst], rows[worst]) { worst = left }
            if right < count && Self.worse(scores[right], rows[right], than: scores[worst], rows[worst]) { worst = right }
            if worst == parent { return }
            scores.swapAt(parent, worst)
            rows.swapAt(parent, worst)
            parent = worst
        }
    }
}
