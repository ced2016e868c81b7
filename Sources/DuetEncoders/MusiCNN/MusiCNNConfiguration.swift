import DuetAudio
import Foundation

/// Which trained musicnn to use. Both share the architecture; they differ in training data and tags.
public enum MusiCNNModel: String, Sendable, CaseIterable, Codable {
    /// Trained on MagnaTagATune (instruments, genres, moods).
    case magnaTagATune = "MTT_musicnn"
    /// Trained on the Million Song Dataset's last.fm tags (genres, decades, moods).
    case millionSongDataset = "MSD_musicnn"

    /// The 50 output tags, in output order.
    public var tags: [String] {
        switch self {
        case .magnaTagATune: MusiCNNTags.magnaTagATune
        case .millionSongDataset: MusiCNNTags.millionSongDataset
        }
    }
}

/// musicnn's settings as stored next to each checkpoint in `config.json` (musicnn 0.1.0, Pons & Serra
/// 2019), plus the architecture constants `models.build_musicnn` fixes in code.
public struct MusiCNNConfiguration: Decodable, Sendable, Equatable {
    public struct AudioRepresentation: Decodable, Sendable, Equatable {
        public var sampleRate: Int
        public var hopLength: Int
        public var fftSize: Int
        public var melBandCount: Int

        enum CodingKeys: String, CodingKey {
            case sampleRate = "resample_sr", hopLength = "hop", fftSize = "n_fft", melBandCount = "n_mels"
        }
    }

    /// Frames per input patch (187 = 3 s).
    public var frameCount: Int
    /// Mel bands per frame (96).
    public var melBandCount: Int
    /// Output tags (50).
    public var classCount: Int
    /// The input compression; musicnn uses "logC", `log10(10000 x + 1)`.
    public var preProcessing: String
    public var audio: AudioRepresentation

    /// Front-end width factor: 1.6 x 128 = 204 timbral and 1.6 x 32 = 51 temporal filters.
    public var frontEndFilterFactor: Double = 1.6
    /// Mid-end filters per layer (64 for MTT/MSD_musicnn).
    public var midEndFilterCount: Int = 64
    /// Penultimate dense units (200).
    public var backEndUnitCount: Int = 200

    enum CodingKeys: String, CodingKey {
        case frameCount = "xInput", melBandCount = "yInput", classCount = "num_classes_dataset",
             preProcessing = "pre_processing", audio = "audio_rep"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        frameCount = try container.decode(Int.self, forKey: .frameCount)
        melBandCount = try container.decode(Int.self, forKey: .melBandCount)
        classCount = try container.decode(Int.self, forKey: .classCount)
        preProcessing = try container.decode(String.self, forKey: .preProcessing)
        audio = try container.decode(AudioRepresentation.self, forKey: .audio)
    }

    /// The published MTT/MSD musicnn settings, for tests and for building without the files.
    /// The front end is `LogMelConfiguration.musicnn`, so its numbers live in one place.
    public init() {
        let logMel = LogMelConfiguration.musicnn
        frameCount = logMel.patchFrameCount
        melBandCount = logMel.melBandCount
        classCount = 50
        preProcessing = "logC"
        audio = AudioRepresentation(
            sampleRate: logMel.sampleRate, hopLength: logMel.hopLength, fftSize: logMel.fftSize,
            melBandCount: logMel.melBandCount)
    }

    /// Timbral filters per kernel (204).
    public var timbralFilterCount: Int { Int(frontEndFilterFactor * 128) }
    /// Temporal filters per kernel (51).
    public var temporalFilterCount: Int { Int(frontEndFilterFactor * 32) }
    /// Timbral kernel widths in mel bands: `int(0.4 * 96) = 38` and `int(0.7 * 96) = 67`, 7 frames tall.
    public var timbralKernelWidths: [Int] { [Int(0.4 * Double(melBandCount)), Int(0.7 * Double(melBandCount))] }
    /// Timbral kernel height in frames.
    public var timbralKernelHeight: Int { 7 }
    /// Temporal kernel lengths in frames.
    public var temporalKernelLengths: [Int] { [128, 64, 32] }
    /// Channels per frame leaving the front end: 2 x 204 + 3 x 51 = 561.
    public var frontEndChannelCount: Int { 2 * timbralFilterCount + 3 * temporalFilterCount }
    /// Channels per frame after the mid-end concatenation: 561 + 3 x 64 = 753.
    public var midEndChannelCount: Int { layerWidths.reduce(0, +) }
    /// The widths of the layers concatenated per frame, in order: the front end, then the three
    /// mid-end layers (`[561, 64, 64, 64]`); a model's `audioLayerWidths`.
    public var layerWidths: [Int] { [frontEndChannelCount] + Array(repeating: midEndFilterCount, count: 3) }

    /// The log-mel front end matching this model (`LogMelConfiguration.musicnn` for the published ones).
    public var logMel: LogMelConfiguration {
        var configuration = LogMelConfiguration.musicnn
        configuration.sampleRate = audio.sampleRate
        configuration.hopLength = audio.hopLength
        configuration.fftSize = audio.fftSize
        configuration.melBandCount = melBandCount
        configuration.maximumFrequency = Double(audio.sampleRate) / 2
        configuration.patchFrameCount = frameCount
        return configuration
    }
}
