/// One tokenised sentence: vocabulary ids and their token strings, special tokens included.
/// Every token is real (attention mask 1) and of token type 0; padding only exists in a
/// ``TokenBatch``.
public struct TokenEncoding: Equatable, Sendable {
    public var ids: [Int32]
    public var tokens: [String]

    public init(ids: [Int32], tokens: [String]) {
        precondition(ids.count == tokens.count, "ids (\(ids.count)) and tokens (\(tokens.count)) must have the same length")
        self.ids = ids
        self.tokens = tokens
    }

    public var count: Int { ids.count }
}
