/// How two operands of a broadcasting element-wise operation are walked.
///
/// NumPy rules: shapes are aligned at their trailing axes; an axis of extent 1 (or a missing
/// leading axis) is repeated to the result's extent. The result is cut into *runs* along its
/// innermost (collapsed) axis; inside a run each operand either advances by one element or stays
/// on one element (a repeated value). Inner loops therefore touch contiguous memory or a constant,
/// never an index array: the same-shape case is one run, a bias `[channels]` added to
/// `[batch, time, channels]` is `batch·time` runs of `channels`, a per-row scale `[rows, 1]` is
/// `rows` runs with a constant right operand.
struct BroadcastRuns {
    let resultShape: [Int]
    let count: Int
    let runLength: Int
    let runCount: Int
    /// Advance per element inside a run: 0 (repeated) or 1 (contiguous).
    let leftStep: Int
    let rightStep: Int
    /// Outer (collapsed) axes, outermost first, with each operand's element stride along them.
    private let outerShape: [Int]
    private let leftOuterStrides: [Int]
    private let rightOuterStrides: [Int]

    init(left: [Int], right: [Int]) {
        let shape = BroadcastRuns.resultShape(left, right)
        resultShape = shape
        count = Tensor.elementCount(of: shape)
        func strides(of input: [Int]) -> [Int] {
            let offset = shape.count - input.count
            let contiguous = Tensor.strides(of: input)
            var strides = [Int](repeating: 0, count: shape.count)
            for axis in 0..<input.count where input[axis] != 1 { strides[axis + offset] = contiguous[axis] }
            return strides
        }
        // Drop unit axes, then merge neighbours along which both operands stay contiguous or both repeat.
        var extents: [Int] = []
        var leftStrides: [Int] = []
        var rightStrides: [Int] = []
        let allLeft = strides(of: left)
        let allRight = strides(of: right)
        for axis in 0..<shape.count where shape[axis] != 1 {
            if let lastExtent = extents.last,
               leftStrides.last! == allLeft[axis] * shape[axis] || (leftStrides.last! == 0 && allLeft[axis] == 0),
               rightStrides.last! == allRight[axis] * shape[axis] || (rightStrides.last! == 0 && allRight[axis] == 0),
               (leftStrides.last! == 0) == (allLeft[axis] == 0),
               (rightStrides.last! == 0) == (allRight[axis] == 0) {
                extents[extents.count - 1] = lastExtent * shape[axis]
                leftStrides[leftStrides.count - 1] = allLeft[axis]
                rightStrides[rightStrides.count - 1] = allRight[axis]
            } else {
                extents.append(shape[axis])
                leftStrides.append(allLeft[axis])
                rightStrides.append(allRight[axis])
            }
        }
        if extents.isEmpty { extents = [1]; leftStrides = [0]; rightStrides = [0] }
        runLength = extents.last!
        leftStep = leftStrides.last! == 0 ? 0 : 1
        rightStep = rightStrides.last! == 0 ? 0 : 1
        outerShape = Array(extents.dropLast())
        leftOuterStrides = Array(leftStrides.dropLast())
        rightOuterStrides = Array(rightStrides.dropLast())
        runCount = count == 0 ? 0 : count / runLength
    }

    /// The common shape of two operands, or a precondition failure naming both.
    static func resultShape(_ lhs: [Int], _ rhs: [Int]) -> [Int] {
        let rank = max(lhs.count, rhs.count)
        var shape = [Int](repeating: 1, count: rank)
        for axis in 0..<rank {
            let left = axis - (rank - lhs.count) >= 0 ? lhs[axis - (rank - lhs.count)] : 1
            let right = axis - (rank - rhs.count) >= 0 ? rhs[axis - (rank - rhs.count)] : 1
            precondition(left == right || left == 1 || right == 1,
                         "shapes \(lhs) and \(rhs) do not broadcast")
            shape[axis] = max(left, right)
        }
        return shape
    }

    /// Calls `body(resultStart, leftStart, rightStart)` for every run in `runs`, in order.
    @inline(__always)
    func forEachRun(in runs: Range<Int>, _ body: (Int, Int, Int) -> Void) {
        guard !runs.isEmpty else { return }
        let rank = outerShape.count
        if rank == 0 { body(0, 0, 0); return }
        var counters = [Int](repeating: 0, count: rank)
        var remainder = runs.lowerBound
        var leftIndex = 0
        var rightIndex = 0
        for axis in stride(from: rank - 1, through: 0, by: -1) {
            counters[axis] = remainder % outerShape[axis]
            remainder /= outerShape[axis]
            leftIndex += counters[axis] * leftOuterStrides[axis]
            rightIndex += counters[axis] * rightOuterStrides[axis]
        }
        for run in runs {
            body(run * runLength, leftIndex, rightIndex)
            var axis = rank - 1
            while axis >= 0 {
                counters[axis] += 1
                leftIndex += leftOuterStrides[axis]
                rightIndex += rightOuterStrides[axis]
                if counters[axis] < outerShape[axis] { break }
                leftIndex -= leftOuterStrides[axis] * counters[axis]
                rightIndex -= rightOuterStrides[axis] * counters[axis]
                counters[axis] = 0
                axis -= 1
            }
        }
    }
}
