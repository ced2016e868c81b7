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

    /// The musicnn features of the zero-shot baseline and the default model.
    public static let defaultMusicnn = AudioFeatureKind.musicnn(tokenCount: ModelConfiguration().audioTokenCount)

    /// The features `model` reads.
    public init(model: ModelConfiguration) {
        switch model.audioEncoderKind {
        case .musicnn: self = .musicnn(tokenCount: model.audioTokenCount)
        case .scratch: self = .logMel(frameCount: model.logMelFrameCount)
        }
    }

    /// Whether these are musicnn features (with tag probabilities beside them).
    public var isMusicnn: Bool {
        if case .musicnn = self { true } else { false }
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
        }
    }

    /// The encoder identity and pooling folded into the cache key.
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
        }
    }

    public var description: String {
        switch self {
        case .musicnn(let tokens): "musicnn features (\(tokens) tokens)"
        case .logMel(let frames): "log-mel spectrogram (\(frames) frames)"
        case .clap: "CLAP audio embeddings"
        }
    }
}
