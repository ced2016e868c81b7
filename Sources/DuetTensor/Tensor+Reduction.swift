/// Reductions. Backward of a sum spreads the gradient to every summed element.
extension Tensor {
    /// Sum of every element, as a rank-0 tensor.
    public func sum() -> Tensor {
        var total: Float = 0
        storage.withUnsafeBufferPointer { values in for value in values { total += value } }
        return Tensor([total], shape: [], inputs: [self]) { [self] result in
            self.accumulateGradient([Float](repeating: result.gradient![0], count: self.count))
        }
    }

    /// Mean of every element, as a rank-0 tensor.
    public func mean() -> Tensor { sum() * (1 / Float(max(1, count))) }
}
