/// A dense, contiguous, row-major Float32 tensor that can take part in reverse-mode differentiation.
///
/// Shapes follow the convention `[batch, time, channels]` where a layer documents one.
/// A tensor is a reference type so that the tape can accumulate gradients into the tensors an
/// operation read. Values are immutable once an operation has recorded the tensor; only
/// optimisers (outside any recorded computation) write parameters in place.
public final class Tensor: @unchecked Sendable {
    /// Extent of each axis, outermost first.
    public let shape: [Int]
    /// The values, row-major.
    public internal(set) var storage: [Float]
    /// Whether gradients flow into this tensor. Leaves created by the user set it; results of
    /// operations inherit it from their inputs (and never while gradients are disabled).
    public let requiresGradient: Bool
    /// The accumulated gradient of the last `backward()` that reached this tensor, same shape.
    public internal(set) var gradient: [Float]?
    /// How this tensor was computed, kept only while gradients are being recorded.
    let record: TapeRecord?

    /// Creates a tensor that owns `storage`, laid out row-major in `shape`.
    public init(_ storage: [Float], shape: [Int], requiresGradient: Bool = false) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        precondition(
            storage.count == Tensor.elementCount(of: shape),
            "storage of \(storage.count) values does not fill shape \(shape)")
        self.shape = shape
        self.storage = storage
        self.requiresGradient = requiresGradient
        self.record = nil
    }

    /// The result of an operation: records `backward` when any input needs a gradient and
    /// recording is enabled.
    init(_ storage: [Float], shape: [Int], inputs: [Tensor], backward: @escaping (Tensor) -> Void) {
        self.shape = shape
        self.storage = storage
        let needsGradient = GradientMode.isEnabled && inputs.contains { $0.requiresGradient }
        self.requiresGradient = needsGradient
        self.record = needsGradient ? TapeRecord(inputs: inputs, backward: backward) : nil
    }

    /// Number of values.
    public var count: Int { storage.count }
    /// Number of axes.
    public var rank: Int { shape.count }
    /// Row-major strides, in elements.
    public var strides: [Int] { Tensor.strides(of: shape) }

    /// The single value of a tensor with one element.
    public var scalar: Float {
        precondition(storage.count == 1, "scalar of a tensor of shape \(shape)")
        return storage[0]
    }

    /// Extent of `axis`, which may be negative (counted from the end).
    public func size(_ axis: Int) -> Int { shape[normalizedAxis(axis)] }

    /// `axis` in `0..<rank`, accepting negative axes counted from the end.
    public func normalizedAxis(_ axis: Int) -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        precondition(resolved >= 0 && resolved < rank, "axis \(axis) out of range for shape \(shape)")
        return resolved
    }

    static func elementCount(of shape: [Int]) -> Int { shape.reduce(1, *) }

    static func strides(of shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= shape[axis]
        }
        return strides
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let preview = storage.prefix(8).map { String(format: "%.4g", $0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(preview)\(storage.count > 8 ? ", ..." : "")])"
    }
}

extension Tensor {
    /// Overwrites one element in place. For optimisers, loaders and finite-difference checks only:
    /// never call it on a tensor that a recorded computation still needs.
    public func setElement(_ index: Int, to value: Float) { storage[index] = value }

    /// Replaces all values in place (same count). For optimisers and weight loading.
    public func assign(_ values: [Float]) {
        precondition(values.count == storage.count, "assigning \(values.count) values to shape \(shape)")
        storage = values
    }

    /// Calls `body` with mutable access to the values, for in-place updates by optimisers.
    public func withMutableStorage<Result>(_ body: (inout [Float]) throws -> Result) rethrows -> Result {
        try body(&storage)
    }

    /// Calls `body` with mutable access to the accumulated gradient (for clipping); does nothing
    /// and returns `nil` when no gradient has been accumulated.
    public func withMutableGradient<Result>(_ body: (inout [Float]) throws -> Result) rethrows -> Result? {
        guard gradient != nil else { return nil }
        return try body(&gradient!)
    }
}
