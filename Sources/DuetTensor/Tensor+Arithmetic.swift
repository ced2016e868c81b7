/// Element-wise arithmetic with NumPy broadcasting. Each forward sits beside its backward: the
/// gradient of a broadcast operand is the result gradient summed over the axes it was repeated on.
///
/// The kernels walk `BroadcastRuns`, so the inner loops are plain contiguous loops the compiler
/// vectorises; large same-shape work is split across `Parallelism.threadCount` threads.
extension Tensor {
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { binary(lhs, rhs, .add) }
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { binary(lhs, rhs, .subtract) }
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { binary(lhs, rhs, .multiply) }
    public static func / (lhs: Tensor, rhs: Tensor) -> Tensor { binary(lhs, rhs, .divide) }

    public static func + (lhs: Tensor, rhs: Float) -> Tensor { lhs.affine(scale: 1, shift: rhs) }
    public static func - (lhs: Tensor, rhs: Float) -> Tensor { lhs.affine(scale: 1, shift: -rhs) }
    public static func * (lhs: Tensor, rhs: Float) -> Tensor { lhs.affine(scale: rhs, shift: 0) }
    public static func / (lhs: Tensor, rhs: Float) -> Tensor { lhs.affine(scale: 1 / rhs, shift: 0) }
    public static func * (lhs: Float, rhs: Tensor) -> Tensor { rhs * lhs }
    public static func + (lhs: Float, rhs: Tensor) -> Tensor { rhs + lhs }
    public static func - (lhs: Float, rhs: Tensor) -> Tensor { rhs.affine(scale: -1, shift: lhs) }
    public static prefix func - (operand: Tensor) -> Tensor { operand * -1 }

    /// `scale · x + shift`, element-wise. Backward: `dx = scale · dy`.
    public func affine(scale: Float, shift: Float) -> Tensor {
        Tensor.unary(self) { input, output, count in
            for index in 0..<count { output[index] = scale * input[index] + shift }
        } backward: { _, _, gradient, inputGradient, count in
            for index in 0..<count { inputGradient[index] = scale * gradient[index] }
        }
    }

    /// A one-input element-wise operation split over threads. `forward(input, output, count)`
    /// fills `output`; `backward(input, output, outputGradient, inputGradient, count)` fills
    /// `inputGradient` (pointers are offset to the chunk being processed).
    @inline(__always)
    static func unary(
        _ input: Tensor,
        forward: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void,
        backward: @escaping (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>,
                             UnsafeMutablePointer<Float>, Int) -> Void
    ) -> Tensor {
        let count = input.count
        let output = [Float].uninitialized(count) { result in
            input.withValues { values in
                Parallelism.forEachChunk(count, minimumChunk: 16384) { range in
                    forward(values + range.lowerBound, result.baseAddress! + range.lowerBound, range.count)
                }
            }
        }
        return Tensor(output, shape: input.shape, inputs: [input]) { result in
            let gradient = result.incomingGradient
            let inputGradient = [Float].uninitialized(count) { target in
                input.withValues { values in
                    withPointers(result.storage) { forwardValues in
                        withPointers(gradient) { gradient in
                            Parallelism.forEachChunk(count, minimumChunk: 16384) { range in
                                let start = range.lowerBound
                                backward(values + start, forwardValues + start, gradient + start,
                                         target.baseAddress! + start, range.count)
                            }
                        }
                    }
                }
            }
            input.accumulateGradient(inputGradient)
        }
    }

    /// The four broadcasting operations.
    enum ArithmeticOperation { case add, subtract, multiply, divide }

    static func binary(_ lhs: Tensor, _ rhs: Tensor, _ operation: ArithmeticOperation) -> Tensor {
        let runs = BroadcastRuns(left: lhs.shape, right: rhs.shape)
        let output = [Float].uninitialized(runs.count) { result in
            lhs.withValues { left in
                rhs.withValues { right in
                    let target = result.baseAddress!
                    switch operation {
                    case .add: apply(runs, left, right, target) { $0 + $1 }
                    case .subtract: apply(runs, left, right, target) { $0 - $1 }
                    case .multiply: apply(runs, left, right, target) { $0 * $1 }
                    case .divide: apply(runs, left, right, target) { $0 / $1 }
                    }
                }
            }
        }
        return Tensor(output, shape: runs.resultShape, inputs: [lhs, rhs]) { result in
            let gradient = result.incomingGradient
            if lhs.requiresGradient {
                var contribution = [Float].zeros(lhs.count)
                gradientRuns(runs, gradient, lhs, rhs, into: &contribution, forLeft: true) { g, l, r in
                    switch operation {
                    case .add, .subtract: return g
                    case .multiply: return g * r
                    case .divide: return g / r
                    }
                }
                lhs.accumulateGradient(contribution)
            }
            if rhs.requiresGradient {
                var contribution = [Float].zeros(rhs.count)
                switch operation {
                case .add: gradientRuns(runs, gradient, lhs, rhs, into: &contribution, forLeft: false) { g, _, _ in g }
                case .subtract: gradientRuns(runs, gradient, lhs, rhs, into: &contribution, forLeft: false) { g, _, _ in -g }
                case .multiply: gradientRuns(runs, gradient, lhs, rhs, into: &contribution, forLeft: false) { g, l, _ in g * l }
                case .divide: gradientRuns(runs, gradient, lhs, rhs, into: &contribution, forLeft: false) { g, l, r in -g * l / (r * r) }
                }
                rhs.accumulateGradient(contribution)
            }
        }
    }

    @inline(__always)
    private static func apply(
        _ runs: BroadcastRuns, _ left: UnsafePointer<Float>, _ right: UnsafePointer<Float>,
        _ result: UnsafeMutablePointer<Float>, _ function: (Float, Float) -> Float
    ) {
        let length = runs.runLength
        let leftStep = runs.leftStep
        let rightStep = runs.rightStep
        Parallelism.forEachChunk(runs.runCount, minimumChunk: max(1, 16384 / max(1, length))) { chunk in
            runs.forEachRun(in: chunk) { start, leftStart, rightStart in
                let out = result + start
                let l = left + leftStart
                let r = right + rightStart
                switch (leftStep, rightStep) {
                case (1, 1): for index in 0..<length { out[index] = function(l[index], r[index]) }
                case (1, _): let value = r[0]; for index in 0..<length { out[index] = function(l[index], value) }
                case (_, 1): let value = l[0]; for index in 0..<length { out[index] = function(value, r[index]) }
                default: let value = function(l[0], r[0]); for index in 0..<length { out[index] = value }
                }
            }
        }
    }

    /// Accumulates `partial(g, left, right)` into one operand's gradient: element-wise where the
    /// operand advances along a run, summed over the run where it is repeated.
    @inline(__always)
    private static func gradientRuns(
        _ runs: BroadcastRuns, _ gradient: [Float], _ lhs: Tensor, _ rhs: Tensor,
        into contribution: inout [Float], forLeft: Bool, _ partial: (Float, Float, Float) -> Float
    ) {
        let length = runs.runLength
        let leftStep = runs.leftStep
        let rightStep = runs.rightStep
        let ownStep = forLeft ? leftStep : rightStep
        let sameShape = (forLeft ? lhs.count : rhs.count) == runs.count
        withPointers(gradient) { gradient in
            lhs.withValues { left in
                rhs.withValues { right in
                    withMutablePointer(&contribution) { target in
                        func body(_ chunk: Range<Int>) {
                            runs.forEachRun(in: chunk) { start, leftStart, rightStart in
                                let g = gradient + start
                                let l = left + leftStart
                                let r = right + rightStart
                                let t = target + (forLeft ? leftStart : rightStart)
                                if ownStep == 1 {
                                    switch (leftStep, rightStep) {
                                    case (1, 1): for i in 0..<length { t[i] += partial(g[i], l[i], r[i]) }
                                    case (1, _): let v = r[0]; for i in 0..<length { t[i] += partial(g[i], l[i], v) }
                                    default: let v = l[0]; for i in 0..<length { t[i] += partial(g[i], v, r[i]) }
                                    }
                                } else {
                                    var sum: Float = 0
                                    switch (leftStep, rightStep) {
                                    case (1, _): let v = r[0]; for i in 0..<length { sum += partial(g[i], l[i], v) }
                                    case (_, 1): let v = l[0]; for i in 0..<length { sum += partial(g[i], v, r[i]) }
                                    default: let v = l[0], w = r[0]; for i in 0..<length { sum += partial(g[i], v, w) }
                                    }
                                    t[0] += sum
                                }
                            }
                        }
                        // Same-shape targets are written disjointly, so threads cannot collide.
                        if sameShape {
                            Parallelism.forEachChunk(runs.runCount, minimumChunk: max(1, 16384 / max(1, length)), body)
                        } else {
                            body(0..<runs.runCount)
                        }
                    }
                }
            }
        }
    }
}
