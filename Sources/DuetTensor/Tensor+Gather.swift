/// Row gathering (embedding lookup), as `torch.nn.functional.embedding(indices, table)`.
extension Tensor {
    /// Rows of this `[rows, width...]` table picked by `indices`; the result has shape
    /// `indexShape + shape[1...]`. Backward scatters (adds) each output row's gradient into the
    /// row it came from, so repeated indices accumulate.
    public func gatherRows(_ indices: [Int], indexShape: [Int]? = nil) -> Tensor {
        precondition(rank >= 1, "gatherRows needs a table of rank ≥ 1, got \(shape)")
        let indexShape = indexShape ?? [indices.count]
        precondition(Tensor.elementCount(of: indexShape) == indices.count, "\(indices.count) indices for shape \(indexShape)")
        let rows = shape[0]
        let width = count / Swift.max(1, rows)
        for index in indices { precondition(index >= 0 && index < rows, "index \(index) out of range for \(rows) rows") }
        let output = [Float].uninitialized(indices.count * width) { target in
            withValues { table in
                for (position, index) in indices.enumerated() {
                    (target.baseAddress! + position * width).update(from: table + index * width, count: width)
                }
            }
        }
        return Tensor(output, shape: indexShape + shape.dropFirst(), inputs: [self]) { [self] result in
            var gradient = [Float].zeros(self.count)
            withPointers(result.incomingGradient) { incoming in
                withMutablePointer(&gradient) { target in
                    for (position, index) in indices.enumerated() {
                        let row = target + index * width
                        let source = incoming + position * width
                        for column in 0..<width { row[column] += source[column] }
                    }
                }
            }
            self.accumulateGradient(gradient)
        }
    }
}
