import DuetEncoders
import DuetModel

extension TextEncoderKind {
    /// Loads this encoder from the model cache (`make setup` unpacks both wheels): MiniLM with its
    /// 256-token limit, e5-small with the `"query: "` prefix for every text.
    public func loadEncoder() throws -> BertSentenceEncoder {
        switch self {
        case .miniLM: try BertSentenceEncoder.miniLM()
        case .e5Small: try BertSentenceEncoder.e5Small()
        }
    }
}
