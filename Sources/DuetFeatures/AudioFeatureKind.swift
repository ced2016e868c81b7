import DuetAudio
import DuetEncoders
import DuetModel

/// The per-clip audio features a model reads, as they are cached.
public enum AudioFeatureKind: Hashable, Sendable, CustomStringConvertible {
    /// The locked musicnn's frame features (front end 561 + mid-end 3 × 64 = 753 channels),
    /// average-pooled over the clip to `tokenCount` tokens, `[tokenCount, 753]`; musicnn's tag
    /// probabilities are stored beside them.
    case musicnn(tokenCount: Int)
    /// The clip's log-mel spectrogram (musicnn's front end: 16 kHz, 512-point FFT, hop 256,
    /// 96 bands, `log10(1 + 10000·x)`) average-pooled over time to `frameCount` frames,
    /// `[frameCount, 96]`: the input of the from-scratch CNN.
    case logMel(frameCount: Int)
    /// The clip's L2-normalised LAION-CLAP audio embedding, `[1, width]` (`ClapModel`, the CLAP zero-shot
    /// baseline), from the CLAP folder at `weightsFolder`; keyed by the folder's `weightsFingerprint`, so
    /// another checkpoint never reads these.
    case clap(weightsFolder: String, weightsFingerprint: String, width: Int)
    /// Every hidden state of a locked MERT, each pooled over time to the token count and concatenated per
    /// token: `[tokenCount, states × hidden]` (MERT-v1-330M: 25 × 1024).
    case mert(LayerStateFeatures)
    /// Each stage of a locked HTS-AT averaged over frequency, pooled over time to the token count and
    /// concatenated per token: `[tokenCount, Σ stage widths]` (HTSAT-tiny: 192 + 384 + 768 + 768).
    case htsat(LayerStateFeatures)

    /// What identifies the layer-state features of an encoder read from a weights folder.
    public struct LayerStateFeatures: Hashable, Sendable {
        /// The weights folder and the fingerprint of its files (the fingerprint goes into the cache key;
        /// the folder is where the extractor reads the encoder, unless `--audio-encoder-weights` overrides it).
        public var encoder: AudioEncoderSelection
        /// Channels of each layer, as the encoder's configuration gives them.
        public var layerWidths: [Int]
        public var tokenCount: Int

        public init(encoder: AudioEncoderSelection, layerWidths: [Int], tokenCount: Int) {
            self.encoder = encoder
            self.layerWidths = layerWidths
            self.tokenCount = tokenCount
        }
    }

    /// The musicnn features of the zero-shot baseline and the default model.
    public static let defaultMusicnn = AudioFeatureKind.musicnn(tokenCount: ModelConfiguration().audioTokenCount)

    /// The features `model` reads. For MERT and HTS-AT the model's `audioLayerWidths` and weights fingerprint
    /// must be the encoder's (a checkpoint's are; a training configuration's are set by `Encoders.resolve`).
    public init(model: ModelConfiguration) {
        let layerStates = LayerStateFeatures(
            encoder: model.audioEncoderSelection, layerWidths: model.audioLayerWidths, tokenCount: model.audioTokenCount)
        switch model.audioEncoderKind {
        case .musicnn: self = .musicnn(tokenCount: model.audioTokenCount)
        case .scratch: self = .logMel(frameCount: model.logMelFrameCount)
        case .mert: self = .mert(layerStates)
        case .htsat: self = .htsat(layerStates)
        }
    }

    /// Whether these are musicnn features (with tag probabilities beside them).
    public var isMusicnn: Bool {
        if case .musicnn = self { true } else { false }
    }

    /// The layer-state features of MERT or HTS-AT, nil for the others.
    public var layerStates: LayerStateFeatures? {
        switch self {
        case .mert(let features), .htsat(let features): features
        case .musicnn, .logMel, .clap: nil
        }
    }

    /// Channels per musicnn token: the concatenated layer widths of the published musicnn (753).
    public static let musicnnWidth = MusiCNNConfiguration().midEndChannelCount
    /// Bands per log-mel frame: those of musicnn's front end (96).
    public static let logMelBandCount = LogMelConfiguration.musicnn.melBandCount

    /// `[time, channels]` of one clip's features.
    public var shape: [Int] {
        switch self {
        case .musicnn(let tokens): [tokens, Self.musicnnWidth]
        case .logMel(let frames): [frames, Self.logMelBandCount]
        case .clap(_, _, let width): [1, width]
        case .mert(let features), .htsat(let features): [features.tokenCount, features.layerWidths.reduce(0, +)]
        }
    }

    /// The encoder identity and pooling folded into the cache key (for MERT and HTS-AT the identity's
    /// version is the weights folder's fingerprint; the folder's path is left out, so a moved folder keeps
    /// its cache).
    var identity: String {
        switch self {
        case .musicnn(let tokens):
            let encoder = EncoderIdentity.musicnn
            return "\(encoder.name) \(encoder.variant) \(encoder.version) tokens \(tokens)"
        case .logMel(let frames):
            let encoder = EncoderIdentity.logMel
            return "\(encoder.name) \(encoder.variant) \(encoder.version) frames \(frames)"
        case .clap(_, let fingerprint, let width):
            return "LAION-CLAP audio \(fingerprint) width \(width)"
        case .mert(let features), .htsat(let features):
            let encoder = features.encoder.identity
            let widths = features.layerWidths.map(String.init).joined(separator: ",")
            return "\(encoder.name) \(encoder.variant) \(encoder.version) layers \(widths) tokens \(features.tokenCount)"
        }
    }

    public var description: String {
        switch self {
        case .musicnn(let tokens): "musicnn features (\(tokens) tokens)"
        case .logMel(let frames): "log-mel spectrogram (\(frames) frames)"
        case .clap: "CLAP audio embeddings"
        case .mert(let features), .htsat(let features):
            "\(features.encoder.kind.displayName) layer states (\(features.layerWidths.count) layers, \(features.tokenCount) tokens)"
        }
    }
}
