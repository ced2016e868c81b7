/// Maps each element of a broadcast result back to the element of an input it reads.
///
/// NumPy rules: shapes are aligned at their trailing axes; an input axis of extent 1 (or a
/// missing leading axis) is repeated to the result's extent.
struct BroadcastMap {
    let resultShape: [Int]
    /// For each result axis, the input's stride along it (0 where the input is repeated).
    let inputStrides: [Int]
    /// True when the input already has the result's shape.
    let isIdentity: Bool
    /// Number of input elements when the input is a trailing block repeated over leading axes.
    let trailingBlock: Int?

    init(input: [Int], result: [Int]) {
        resultShape = result
        let offset = result.count - input.count
        let contiguous = Tensor.strides(of: input)
        var strides = [Int](repeating: 0, count: result.count)
        for axis in 0..<input.count where input[axis] != 1 {
            strides[axis + offset] = contiguous[axis]
        }
        inputStrides = strides
        isIdentity = input == result
        // The input fills the last k axes exactly and is repeated over the first ones.
        let block = Tensor.elementCount(of: input)
        var trailingMatches = offset >= 0
        var seenReal = false
        for axis in 0..<input.count {
            if input[axis] == 1 && !seenReal { continue }
            seenReal = true
            if input[axis] != result[axis + offset] { trailingMatches = false; break }
        }
        trailingBlock = trailingMatches ? block : nil
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

    /// Calls `body(resultIndex, inputIndex)` for every result element, in order.
    @inline(__always)
    func forEach(_ body: (Int, Int) -> Void) {
        let count = Tensor.elementCount(of: resultShape)
        if isIdentity {
            for index in 0..<count { body(index, index) }
            return
        }
        if let block = trailingBlock, block > 0 {
            var inputIndex = 0
            for index in 0..<count {
                body(index, inputIndex)
                inputIndex += 1
                if inputIndex == block { inputIndex = 0 }
            }
            return
        }
        let rank = resultShape.count
        var counters = [Int](repeating: 0, count: rank)
        var inputIndex = 0
        for index in 0..<count {
            body(index, inputIndex)
            var axis = rank - 1
            while axis >= 0 {
                counters[axis] += 1
                inputIndex += inputStrides[axis]
                if counters[axis] < resultShape[axis] { break }
                inputIndex -= inputStrides[axis] * counters[axis]
                counters[axis] = 0
                axis -= 1
            }
        }
    }

    /// Sums a result-shaped gradient into the input's shape.
    func reduce(_ gradient: [Float], inputCount: Int) -> [Float] {
        if isIdentity { return gradient }
        var reduced = [Float](repeating: 0, count: inputCount)
        gradient.withUnsafeBufferPointer { source in
            reduced.withUnsafeMutableBufferPointer { target in
                forEach { resultIndex, inputIndex in target[inputIndex] += source[resultIndex] }
            }
        }
        return reduced
    }
}
