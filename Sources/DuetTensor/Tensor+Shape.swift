/// Shape operations: reshape, permute/transpose, slice, concatenate, stack.
///
/// Every result is a fresh contiguous tensor; reshape shares its storage copy-on-write, so it is
/// free. Backward of a layout change applies the inverse layout change to the gradient.
extension Tensor {
    /// The same values viewed in `newShape`; one extent may be `-1` (inferred).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var resolved = newShape
        if let inferred = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().reduce(1) { $1.offset == inferred ? $0 : $0 * $1.element }
            precondition(known > 0 && count % known == 0, "cannot reshape \(shape) to \(newShape)")
            resolved[inferred] = count / known
        }
        precondition(Tensor.elementCount(of: resolved) == count, "cannot reshape \(shape) to \(newShape)")
        return Tensor(storage, shape: resolved, inputs: [self]) { [self] result in
            self.accumulateGradient(result.incomingGradient)
        }
    }

    /// Axes reordered: result axis `i` is input axis `axes[i]` (as `torch.permute`).
    public func permuted(_ axes: [Int]) -> Tensor {
        let axes = axes.map(normalizedAxis)
        precondition(axes.count == rank && Set(axes).count == rank, "permutation \(axes) for shape \(shape)")
        let newShape = axes.map { shape[$0] }
        let output = Tensor.permute(storage, shape: shape, axes: axes)
        var inverse = [Int](repeating: 0, count: rank)
        for (index, axis) in axes.enumerated() { inverse[axis] = index }
        return Tensor(output, shape: newShape, inputs: [self]) { [self] result in
            self.accumulateGradient(Tensor.permute(result.incomingGradient, shape: newShape, axes: inverse))
        }
    }

    /// Swaps two axes (as `torch.transpose`).
    public func transposed(_ first: Int = -2, _ second: Int = -1) -> Tensor {
        var axes = Array(0..<rank)
        axes.swapAt(normalizedAxis(first), normalizedAxis(second))
        return permuted(axes)
    }

    /// Copies `values` (row-major in `shape`) into the layout permuted by `axes`.
    static func permute(_ values: [Float], shape: [Int], axes: [Int]) -> [Float] {
        let count = values.count
        if axes == Array(0..<axes.count) { return values }
        let inputStrides = strides(of: shape)
        let outputShape = axes.map { shape[$0] }
        let rank = axes.count
        let strideInInput = axes.map { inputStrides[$0] }
        let innerLength = outputShape.last!
        let innerStride = strideInInput.last!
        let rows = count / max(1, innerLength)
        return [Float].uninitialized(count) { output in
            withPointers(values) { input in
                Parallelism.forEachChunk(rows, minimumChunk: max(1, 16384 / max(1, innerLength))) { chunk in
                    var counters = [Int](repeating: 0, count: rank)
                    var remainder = chunk.lowerBound
                    var offset = 0
                    for axis in stride(from: rank - 2, through: 0, by: -1) {
                        counters[axis] = remainder % outputShape[axis]
                        remainder /= outputShape[axis]
                        offset += counters[axis] * strideInInput[axis]
                    }
                    for row in chunk {
                        let target = output.baseAddress! + row * innerLength
                        if innerStride == 1 {
                            target.update(from: input + offset, count: innerLength)
                        } else {
                            for index in 0..<innerLength { target[index] = input[offset + index * innerStride] }
                        }
                        var axis = rank - 2
                        while axis >= 0 {
                            counters[axis] += 1
                            offset += strideInInput[axis]
                            if counters[axis] < outputShape[axis] { break }
                            offset -= strideInInput[axis] * counters[axis]
                            counters[axis] = 0
                            axis -= 1
                        }
                    }
                }
            }
        }
    }

    /// Elements `range` along `axis` (as `x.narrow(axis, start, length)`).
    public func sliced(axis: Int, _ range: Range<Int>) -> Tensor {
        let axis = normalizedAxis(axis)
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[axis],
                     "slice \(range) out of bounds for axis \(axis) of shape \(shape)")
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        let extent = shape[axis]
        var newShape = shape
        newShape[axis] = range.count
        let block = range.count * inner
        let output = [Float].uninitialized(outer * block) { output in
            withValues { input in
                for row in 0..<outer {
                    (output.baseAddress! + row * block).update(
                        from: input + row * extent * inner + range.lowerBound * inner, count: block)
                }
            }
        }
        return Tensor(output, shape: newShape, inputs: [self]) { [self] result in
            var gradient = [Float].zeros(self.count)
            withPointers(result.incomingGradient) { source in
                withMutablePointer(&gradient) { target in
                    for row in 0..<outer {
                        (target + row * extent * inner + range.lowerBound * inner).update(
                            from: source + row * block, count: block)
                    }
                }
            }
            self.accumulateGradient(gradient)
        }
    }

    /// Joins tensors along `axis`; every other extent must agree (as `torch.cat`).
    public static func concatenate(_ tensors: [Tensor], axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "concatenate needs at least one tensor")
        let first = tensors[0]
        let axis = first.normalizedAxis(axis)
        for tensor in tensors {
            precondition(tensor.rank == first.rank
                         && tensor.shape[..<axis] == first.shape[..<axis]
                         && tensor.shape[(axis + 1)...] == first.shape[(axis + 1)...],
                         "cannot concatenate \(tensor.shape) with \(first.shape) along axis \(axis)")
        }
        let outer = first.shape[..<axis].reduce(1, *)
        let inner = first.shape[(axis + 1)...].reduce(1, *)
        let extents = tensors.map { $0.shape[axis] }
        let total = extents.reduce(0, +)
        var newShape = first.shape
        newShape[axis] = total
        let output = [Float].uninitialized(outer * total * inner) { output in
            var offset = 0
            for (tensor, extent) in zip(tensors, extents) {
                let block = extent * inner
                tensor.withValues { input in
                    for row in 0..<outer {
                        (output.baseAddress! + row * total * inner + offset).update(from: input + row * block, count: block)
                    }
                }
                offset += block
            }
        }
        return Tensor(output, shape: newShape, inputs: tensors) { result in
            let gradient = result.incomingGradient
            var offset = 0
            for (tensor, extent) in zip(tensors, extents) {
                let block = extent * inner
                if tensor.requiresGradient {
                    let part = [Float].uninitialized(outer * block) { target in
                        withPointers(gradient) { source in
                            for row in 0..<outer {
                                (target.baseAddress! + row * block).update(from: source + row * total * inner + offset, count: block)
                            }
                        }
                    }
                    tensor.accumulateGradient(part)
                }
                offset += block
            }
        }
    }

    /// Joins equally shaped tensors along a new axis at `axis` (as `torch.stack`).
    public static func stack(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "stack needs at least one tensor")
        let shape = tensors[0].shape
        let position = axis < 0 ? axis + shape.count + 1 : axis
        precondition(position >= 0 && position <= shape.count, "stack axis \(axis) for shape \(shape)")
        var expanded = shape
        expanded.insert(1, at: position)
        return concatenate(tensors.map {
            precondition($0.shape == shape, "stack needs equal shapes, got \($0.shape) and \(shape)")
            return $0.reshaped(expanded)
        }, axis: position)
    }
}
