extension Array where Element == Float {
    /// An array of `count` values that `body` writes completely, without zero-filling it first.
    @inline(__always)
    static func uninitialized(_ count: Int, _ body: (UnsafeMutableBufferPointer<Float>) -> Void) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            body(buffer)
            initialized = count
        }
    }

    /// `count` zeros.
    @inline(__always)
    static func zeros(_ count: Int) -> [Float] { [Float](repeating: 0, count: count) }
}

/// Unchecked pointer views used by kernels; they are only valid inside the closure that made them.
extension Tensor {
    /// Calls `body` with a pointer to the values.
    @inline(__always)
    func withValues<Result>(_ body: (UnsafePointer<Float>) -> Result) -> Result {
        storage.withUnsafeBufferPointer { body($0.baseAddress ?? UnsafePointer(bitPattern: 16)!) }
    }

    /// The gradient flowing into a recorded result, which `backward()` has set before calling a pullback.
    var incomingGradient: [Float] { gradient! }
}

/// Pointer helpers so kernels can be written over raw memory.
@inline(__always)
func withPointers<Result>(
    _ a: [Float], _ body: (UnsafePointer<Float>) -> Result
) -> Result {
    a.withUnsafeBufferPointer { body($0.baseAddress ?? UnsafePointer(bitPattern: 16)!) }
}

@inline(__always)
func withMutablePointer<Result>(
    _ a: inout [Float], _ body: (UnsafeMutablePointer<Float>) -> Result
) -> Result {
    a.withUnsafeMutableBufferPointer { body($0.baseAddress ?? UnsafeMutablePointer(bitPattern: 16)!) }
}
