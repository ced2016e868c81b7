/// What the audio branch reads. Written in training configurations as
/// `"audioEncoder": "musicnn" | "scratch" | "mert" | "htsat"` and recorded in every checkpoint
/// (`ModelConfiguration.audioEncoderKind`); checkpoints from before the choice existed are musicnn.
///
/// musicnn comes from the model cache (`make setup`); MERT and HTS-AT are read from a folder the user brings
/// (`audioEncoderWeights`), and their identity carries the folder's fingerprint (``AudioEncoderSelection``).
public enum AudioEncoderKind: String, Codable, Sendable, CaseIterable, WeightsFolderEncoderKind {
    /// The locked musicnn's per-layer frame features, pooled to `audioTokenCount` tokens, mixed by
    /// the learnable `LayerAggregator` (the paper's locked-encoder configuration).
    case musicnn
    /// No pre-trained audio encoder: a small CNN trained from scratch on the clip's log-mel
    /// spectrogram (`ConvolutionalAudioEncoder`; the paper's "from scratch" configuration).
    case scratch
    /// Locked MERT-v1 (the paper: MERT-v1-330M): every hidden state, pooled to `audioTokenCount` tokens and
    /// mixed by the aggregator's learned weighted sum across layers (the paper's 1-D convolution).
    case mert
    /// Locked HTS-AT (laion_clap's audio tower): each stage's output averaged over frequency, pooled to
    /// `audioTokenCount` tokens. A CPU-feasible stand-in for the paper's fully trained HTS-AT.
    case htsat

    /// Whether the weights come from a user-given folder (`audioEncoderWeights`) rather than the model cache.
    public var readsWeightsFolder: Bool {
        switch self {
        case .musicnn, .scratch: false
        case .mert, .htsat: true
        }
    }

    /// The identity recorded in checkpoints: musicnn's, or the log-mel front end's from scratch (for MERT
    /// and HTS-AT without a known folder fingerprint; see ``AudioEncoderSelection/identity``).
    public var identity: EncoderIdentity { identity(weightsFingerprint: nil) }

    /// The identity of this encoder with the weights folder whose fingerprint is `weightsFingerprint`
    /// (ignored by musicnn and from scratch, whose identities are fixed).
    public func identity(weightsFingerprint: String?) -> EncoderIdentity {
        switch self {
        case .musicnn: .musicnn
        case .scratch: .logMel
        case .mert:
            EncoderIdentity(
                name: displayName, variant: "transformers checkpoint folder", version: weightsFingerprint ?? "",
                licence: "the checkpoint's own (MERT-v1: CC BY-NC 4.0)")
        case .htsat:
            EncoderIdentity(
                name: displayName, variant: "laion_clap model JSON and safetensors folder", version: weightsFingerprint ?? "",
                licence: "the checkpoint's own")
        }
    }

    /// How the aggregator mixes this encoder's layers: MERT's states all have the hidden width and are
    /// summed with learned weights (the paper's 1-D convolution across layers); musicnn's and HTS-AT's
    /// layers differ in width and are concatenated.
    public var layerMixing: LayerAggregator.Mixing {
        switch self {
        case .mert: .weightedSum
        case .musicnn, .scratch, .htsat: .concatenation
        }
    }

    /// The name reports use.
    public var displayName: String {
        switch self {
        case .musicnn: "musicnn"
        case .scratch: "CNN from scratch"
        case .mert: "MERT"
        case .htsat: "HTS-AT"
        }
    }
}
