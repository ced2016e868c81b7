/// Reductions. Backward of a sum spreads the gradient to every summed element; backward of a
/// maximum routes it to the first element that attained the maximum.
extension Tensor {
    /// Sum of every element, as a rank-0 tensor.
    public func sum() -> Tensor {
        var total: Double = 0
        withValues { values in for index in 0..<count { total += Double(values[index]) } }
        return Tensor([Float(total)], shape: [], inputs: [self]) { [self] result in
            self.accumulateGradient([Float](repeating: result.incomingGradient[0], count: self.count))
        }
    }

    /// Mean of every element, as a rank-0 tensor.
    public func mean() -> Tensor { sum() * (1 / Float(max(1, count))) }

    /// Sum over `axes` (negative axes count from the end). With `keepDims` the reduced axes stay
    /// with extent 1, as `torch.sum(x, dim, keepdim=True)`.
    public func sum(axes: [Int], keepDims: Bool = false) -> Tensor {
        reduce(axes: axes, keepDims: keepDims) { $0.sumAlong($1) }
    }

    /// Mean over `axes`; see `sum(axes:keepDims:)`.
    public func mean(axes: [Int], keepDims: Bool = false) -> Tensor {
        let reducedCount = Set(axes.map(normalizedAxis)).reduce(1) { $0 * shape[$1] }
        return sum(axes: axes, keepDims: keepDims) * (1 / Float(max(1, reducedCount)))
    }

    /// Maximum over `axes`; the gradient goes to the first maximal element of each reduced group.
    public func maximum(axes: [Int], keepDims: Bool = false) -> Tensor {
        reduce(axes: axes, keepDims: keepDims) { $0.maxAlong($1) }
    }

    private func reduce(axes: [Int], keepDims: Bool, _ single: (Tensor, Int) -> Tensor) -> Tensor {
        let resolved = Set(axes.map(normalizedAxis)).sorted(by: >)
        var result = self
        for axis in resolved { result = single(result, axis) }
        if keepDims { return result }
        let kept = shape.enumerated().filter { !resolved.contains($0.offset) }.map(\.element)
        return result.reshaped(kept)
    }

    /// `[outer, extent, inner]` view of the axes before, at and after `axis`.
    func split(at axis: Int) -> (outer: Int, extent: Int, inner: Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }

    /// Sum along one axis, keeping it with extent 1.
    private func sumAlong(_ axis: Int) -> Tensor {
        let (outer, extent, inner) = split(at: axis)
        var newShape = shape
        newShape[axis] = 1
        var output = [Float].zeros(outer * inner)
        withValues { input in
            withMutablePointer(&output) { target in
                for row in 0..<outer {
                    let out = target + row * inner
                    for position in 0..<extent {
                        let source = input + (row * extent + position) * inner
                        for index in 0..<inner { out[index] += source[index] }
                    }
                }
            }
        }
        return Tensor(output, shape: newShape, inputs: [self]) { [self] result in
            let gradient = [Float].uninitialized(self.count) { target in
                withPointers(result.incomingGradient) { source in
                    for row in 0..<outer {
                        for position in 0..<extent {
                            (target.baseAddress! + (row * extent + position) * inner).update(from: source + row * inner, count: inner)
                        }
                    }
                }
            }
            self.accumulateGradient(gradient)
        }
    }

    /// Maximum along one axis, keeping it with extent 1.
    private func maxAlong(_ axis: Int) -> Tensor {
        let (outer, extent, inner) = split(at: axis)
        precondition(extent > 0, "max over an empty axis of shape \(shape)")
        var newShape = shape
        newShape[axis] = 1
        var winners = [Int](repeating: 0, count: outer * inner)
        let output = [Float].uninitialized(outer * inner) { target in
            withValues { input in
                for row in 0..<outer {
                    for index in 0..<inner {
                        var best = input[row * extent * inner + index]
                        var winner = 0
                        for position in 1..<Swift.max(1, extent) {
                            let value = input[(row * extent + position) * inner + index]
                            if value > best { best = value; winner = position }
                        }
                        target[row * inner + index] = best
                        winners[row * inner + index] = winner
                    }
                }
            }
        }
        return Tensor(output, shape: newShape, inputs: [self]) { [self] result in
            var gradient = [Float].zeros(self.count)
            let incoming = result.incomingGradient
            for row in 0..<outer {
                for index in 0..<inner {
                    gradient[(row * extent + winners[row * inner + index]) * inner + index] += incoming[row * inner + index]
                }
            }
            self.accumulateGradient(gradient)
        }
    }
}
