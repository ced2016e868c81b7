/// The instruction prefix multilingual E5 expects in front of every input (its model card):
/// `"query: "` for search queries and for symmetric tasks or features, `"passage: "` for documents.
/// Duet's text tower uses `query` for every text, since captions and queries play the same role.
public enum E5Prefix: String, Sendable, CaseIterable {
    case query = "query: "
    case passage = "passage: "
}
