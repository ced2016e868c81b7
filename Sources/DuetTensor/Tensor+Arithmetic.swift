/// Element-wise arithmetic with NumPy broadcasting. Each forward sits beside its backward: the
/// gradient of a broadcast operand is the result gradient summed over the axes it was repeated on.
extension Tensor {
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
        binary(lhs, rhs, { $0 + $1 },
               leftGradient: { gradient, _, _ in gradient },
               rightGradient: { gradient, _, _ in gradient })
    }

    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor {
        binary(lhs, rhs, { $0 - $1 },
               leftGradient: { gradient, _, _ in gradient },
               rightGradient: { gradient, _, _ in -gradient })
    }

    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor {
        binary(lhs, rhs, { $0 * $1 },
               leftGradient: { gradient, _, right in gradient * right },
               rightGradient: { gradient, left, _ in gradient * left })
    }

    public static func / (lhs: Tensor, rhs: Tensor) -> Tensor {
        binary(lhs, rhs, { $0 / $1 },
               leftGradient: { gradient, _, right in gradient / right },
               rightGradient: { gradient, left, right in -gradient * left / (right * right) })
    }

    public static func + (lhs: Tensor, rhs: Float) -> Tensor { lhs.mapped({ $0 + rhs }, derivative: { _, _ in 1 }) }
    public static func - (lhs: Tensor, rhs: Float) -> Tensor { lhs.mapped({ $0 - rhs }, derivative: { _, _ in 1 }) }
    public static func * (lhs: Tensor, rhs: Float) -> Tensor { lhs.mapped({ $0 * rhs }, derivative: { _, _ in rhs }) }
    public static func / (lhs: Tensor, rhs: Float) -> Tensor { lhs.mapped({ $0 / rhs }, derivative: { _, _ in 1 / rhs }) }
    public static func * (lhs: Float, rhs: Tensor) -> Tensor { rhs * lhs }
    public static func + (lhs: Float, rhs: Tensor) -> Tensor { rhs + lhs }
    public static prefix func - (operand: Tensor) -> Tensor { operand * -1 }

    /// Applies `function` to every element; `derivative(input, output)` gives d output / d input.
    @inline(__always)
    func mapped(_ function: (Float) -> Float, derivative: @escaping (Float, Float) -> Float) -> Tensor {
        var output = [Float](repeating: 0, count: storage.count)
        storage.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { result in
                for index in 0..<input.count { result[index] = function(input[index]) }
            }
        }
        return Tensor(output, shape: shape, inputs: [self]) { [self] result in
            let outputGradient = result.gradient!
            var inputGradient = [Float](repeating: 0, count: storage.count)
            storage.withUnsafeBufferPointer { input in
                result.storage.withUnsafeBufferPointer { forward in
                    inputGradient.withUnsafeMutableBufferPointer { target in
                        for index in 0..<target.count {
                            target[index] = outputGradient[index] * derivative(input[index], forward[index])
                        }
                    }
                }
            }
            self.accumulateGradient(inputGradient)
        }
    }

    /// A broadcasting binary operation. The gradient closures receive
    /// `(resultGradient, leftValue, rightValue)` and return the contribution to that operand.
    @inline(__always)
    static func binary(
        _ lhs: Tensor, _ rhs: Tensor, _ function: (Float, Float) -> Float,
        leftGradient: @escaping (Float, Float, Float) -> Float,
        rightGradient: @escaping (Float, Float, Float) -> Float
    ) -> Tensor {
        let shape = BroadcastMap.resultShape(lhs.shape, rhs.shape)
        let leftMap = BroadcastMap(input: lhs.shape, result: shape)
        let rightMap = BroadcastMap(input: rhs.shape, result: shape)
        let count = elementCount(of: shape)
        var output = [Float](repeating: 0, count: count)
        lhs.storage.withUnsafeBufferPointer { left in
            rhs.storage.withUnsafeBufferPointer { right in
                output.withUnsafeMutableBufferPointer { result in
                    if leftMap.isIdentity {
                        rightMap.forEach { index, rightIndex in
                            result[index] = function(left[index], right[rightIndex])
                        }
                    } else if rightMap.isIdentity {
                        leftMap.forEach { index, leftIndex in
                            result[index] = function(left[leftIndex], right[index])
                        }
                    } else {
                        var leftIndices = [Int](repeating: 0, count: count)
                        leftMap.forEach { index, leftIndex in leftIndices[index] = leftIndex }
                        rightMap.forEach { index, rightIndex in
                            result[index] = function(left[leftIndices[index]], right[rightIndex])
                        }
                    }
                }
            }
        }
        return Tensor(output, shape: shape, inputs: [lhs, rhs]) { result in
            let gradient = result.gradient!
            var leftIndices = [Int](repeating: 0, count: count)
            var rightIndices = [Int](repeating: 0, count: count)
            leftMap.forEach { index, leftIndex in leftIndices[index] = leftIndex }
            rightMap.forEach { index, rightIndex in rightIndices[index] = rightIndex }
            if lhs.requiresGradient {
                var contribution = [Float](repeating: 0, count: lhs.count)
                for index in 0..<count {
                    contribution[leftIndices[index]] += leftGradient(
                        gradient[index], lhs.storage[leftIndices[index]], rhs.storage[rightIndices[index]])
                }
                lhs.accumulateGradient(contribution)
            }
            if rhs.requiresGradient {
                var contribution = [Float](repeating: 0, count: rhs.count)
                for index in 0..<count {
                    contribution[rightIndices[index]] += rightGradient(
                        gradient[index], lhs.storage[leftIndices[index]], rhs.storage[rightIndices[index]])
                }
                rhs.accumulateGradient(contribution)
            }
        }
    }
}
