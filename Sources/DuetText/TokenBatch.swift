/// Sentences padded to a common length for a batched forward pass.
///
/// `ids` and `attentionMask` are row-major `[batch, time]`; row `b` holds `lengths[b]` real
/// tokens followed by `time - lengths[b]` padding tokens (mask 0), padding on the right as BERT
/// expects. Token types are all 0 for single sentences, so they are not stored.
public struct TokenBatch: Equatable, Sendable {
    public let ids: [Int32]
    public let attentionMask: [Int32]
    public let lengths: [Int]
    public let batch: Int
    public let time: Int

    /// Pads `encodings` on the right with `paddingIdentifier` to the longest one (or to `time`
    /// when given, which must be at least the longest).
    public init(encodings: [TokenEncoding], paddingIdentifier: Int32, time: Int? = nil) {
        let longest = encodings.map(\.count).max() ?? 0
        let width = time ?? longest
        precondition(width >= longest, "padded length \(width) is shorter than the longest sentence (\(longest) tokens)")
        var ids = [Int32](repeating: paddingIdentifier, count: encodings.count * width)
        var mask = [Int32](repeating: 0, count: encodings.count * width)
        for (row, encoding) in encodings.enumerated() {
            for (column, id) in encoding.ids.enumerated() {
                ids[row * width + column] = id
                mask[row * width + column] = 1
            }
        }
        self.ids = ids
        self.attentionMask = mask
        self.lengths = encodings.map(\.count)
        self.batch = encodings.count
        self.time = width
    }
}
