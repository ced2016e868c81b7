/// What an operation remembers so that its gradient can be pulled back to its inputs.
///
/// `backward` receives the output tensor (whose `gradient` is set) and accumulates into each
/// input's gradient with `Tensor.accumulateGradient(_:)`.
struct TapeRecord {
    let inputs: [Tensor]
    let backward: (Tensor) -> Void
}

/// Whether operations record themselves for differentiation.
///
/// Recording is on by default. The locked encoders run inside `withoutGradient { ... }`, where no
/// operation keeps references to its inputs, so no tape memory is held.
public enum GradientMode {
    @TaskLocal static var recording = true

    /// Whether operations currently record a backward.
    public static var isEnabled: Bool { recording }
}

/// Runs `body` with gradient recording disabled.
public func withoutGradient<Result>(_ body: () throws -> Result) rethrows -> Result {
    try GradientMode.$recording.withValue(false, operation: body)
}

/// Runs `body` with gradient recording disabled (async form).
public func withoutGradient<Result>(_ body: () async throws -> Result) async rethrows -> Result {
    try await GradientMode.$recording.withValue(false, operation: body)
}

extension Tensor {
    /// Back-propagates from this scalar: sets its gradient to 1 and accumulates the gradient of
    /// every tensor it depends on that requires one. Gradients accumulate across calls; reset
    /// parameters with `zeroGradient()` between steps.
    public func backward() {
        precondition(storage.count == 1, "backward() needs a scalar, got shape \(shape)")
        backward(seed: [1])
    }

    /// Back-propagates `seed`, the gradient of some scalar with respect to this tensor.
    public func backward(seed: [Float]) {
        precondition(seed.count == storage.count, "seed of \(seed.count) values for shape \(shape)")
        guard requiresGradient else { return }
        let order = topologicalOrder()
        accumulateGradient(seed)
        for node in order.reversed() {
            guard let record = node.record, node.gradient != nil else { continue }
            record.backward(node)
            // An intermediate's gradient is not needed once it has been pulled back.
            node.gradient = nil
        }
    }

    /// Clears the accumulated gradient.
    public func zeroGradient() { gradient = nil }

    /// Adds `contribution` (same count as this tensor) into the gradient.
    public func accumulateGradient(_ contribution: [Float]) {
        guard requiresGradient else { return }
        precondition(contribution.count == storage.count,
                     "gradient of \(contribution.count) values for shape \(shape)")
        if gradient == nil {
            gradient = contribution
        } else {
            gradient!.withUnsafeMutableBufferPointer { target in
                contribution.withUnsafeBufferPointer { source in
                    for index in 0..<target.count { target[index] += source[index] }
                }
            }
        }
    }

    /// Recorded tensors reachable from this one, inputs before the tensors computed from them.
    private func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Tensor, Bool)] = [(self, false)]
        while let (node, expanded) = stack.popLast() {
            if expanded { order.append(node); continue }
            guard visited.insert(ObjectIdentifier(node)).inserted else { continue }
            stack.append((node, true))
            for input in node.record?.inputs ?? [] where input.requiresGradient
                && !visited.contains(ObjectIdentifier(input)) {
                stack.append((input, false))
            }
        }
        return order
    }
}
