import DuetAudio
import Foundation

/// The hyper-parameters of HTS-AT (Chen et al., ICASSP 2022) as LAION-CLAP builds it
/// (`laion_clap/clap_module/htsat.py`, `create_htsat_model`), decoded from laion_clap's own model
/// configuration JSON (`model_configs/HTSAT-tiny.json`, `HTSAT-base.json`, ...): either the whole file,
/// whose `audio_cfg` object holds the audio fields, or that object alone.
///
/// `audio_cfg` fields (laion_clap's names): `sample_rate`, `window_size` (the STFT length), `hop_size`,
/// `mel_bins`, `fmin`, `fmax`, `clip_samples`, `class_num`, `model_type` (must be `"HTSAT"`) and
/// `model_name`, which selects the Swin body as `create_htsat_model` does:
/// - `tiny`: embedding 96, depths [2, 2, 6, 2];
/// - `base`: embedding 128, depths [2, 2, 12, 2];
/// - `large`: embedding 256, depths [2, 2, 12, 2];
/// all with spectrogram image 256, patches 4 × 4 with stride 4, heads [4, 8, 16, 32], window 8, MLP ratio 4.
/// An optional `htsat` object inside `audio_cfg` gives the body explicitly with `HTSAT_Swin_Transformer`'s
/// argument names (`spec_size`, `patch_size`, `patch_stride`, `embed_dim`, `depths`, `num_heads`,
/// `window_size`, `mlp_ratio`); Duet's tiny parity fixture uses it. Unknown keys are rejected, so a
/// misspelt field cannot silently fall back to a default.
///
/// Not supported (rejected when the configuration or checkpoint asks for it): feature fusion
/// (`enable_fusion`), absolute position embeddings (`ape`), patches that overlap (`patch_size` ≠
/// `patch_stride`), and batch norm before the MLP (`norm_before_mlp="bn"`); laion_clap's released
/// non-fusion checkpoints use none of them.
public struct HTSATConfiguration: Decodable, Sendable, Equatable {
    // Front end (torchlibrosa `Spectrogram` + `LogmelFilterBank`).
    public var sampleRate: Int
    /// `window_size`: FFT length and Hann window length.
    public var fftSize: Int
    /// `hop_size`.
    public var hopLength: Int
    /// `mel_bins`.
    public var melBinCount: Int
    public var minimumFrequency: Double
    public var maximumFrequency: Double
    /// `clip_samples`: the waveform length CLAP feeds (480,000 = 10 s at 48 kHz).
    public var clipSamples: Int
    /// `class_num`: outputs of the token-semantic head.
    public var classCount: Int

    // Swin body (`HTSAT_Swin_Transformer` arguments).
    /// `spec_size`: side of the square spectrogram image.
    public var spectrogramSize: Int
    /// `patch_size` (= `patch_stride`).
    public var patchSize: Int
    /// `embed_dim`: channels of the first stage; stage `s` has `embeddingSize · 2^s`.
    public var embeddingSize: Int
    public var depths: [Int]
    public var headCounts: [Int]
    /// `window_size` of the Swin blocks (tokens per window side), not the STFT window.
    public var attentionWindowSize: Int
    public var mlpRatio: Double
    /// `nn.LayerNorm`'s and `nn.BatchNorm2d`'s default epsilon.
    public var layerNormEpsilon: Float = 1e-5
    public var batchNormEpsilon: Float = 1e-5

    // MARK: Derived sizes

    /// `freq_ratio = spec_size // mel_bins`: how many time chunks are stacked along the image's height.
    public var frequencyRatio: Int { spectrogramSize / melBinCount }
    /// `spec_size · freq_ratio`: frames of the spectrogram after interpolation (1024).
    public var targetFrameCount: Int { spectrogramSize * frequencyRatio }
    /// `spec_size // freq_ratio`: mel bins after interpolation (64).
    public var targetMelBinCount: Int { spectrogramSize / frequencyRatio }
    /// Tokens per side after the patch embedding.
    public var patchGridSize: Int { spectrogramSize / patchSize }
    public var stageCount: Int { depths.count }
    /// Channels of stage `stage`.
    public func width(ofStage stage: Int) -> Int { embeddingSize << stage }
    /// Tokens per side in stage `stage`.
    public func resolution(ofStage stage: Int) -> Int { patchGridSize >> stage }
    /// `num_features`: channels of the last stage, the width of ``HTSATModel/Output/embedding``.
    public var featureCount: Int { width(ofStage: stageCount - 1) }
    /// The hidden width of stage `stage`'s MLP, `int(dim · mlp_ratio)`.
    public func mlpWidth(ofStage stage: Int) -> Int { Int(Double(width(ofStage: stage)) * mlpRatio) }
    /// The window side of stage `stage`: the whole grid when it is not larger than the window
    /// (`SwinTransformerBlock` then neither partitions nor shifts).
    public func windowSize(ofStage stage: Int) -> Int { min(attentionWindowSize, resolution(ofStage: stage)) }
    /// The cyclic shift of block `block` in stage `stage`: half a window for odd blocks, none for even
    /// ones or when one window covers the grid.
    public func shift(ofStage stage: Int, block: Int) -> Int {
        guard block % 2 == 1, resolution(ofStage: stage) > attentionWindowSize else { return 0 }
        return attentionWindowSize / 2
    }
    /// Tokens per side of the final grid.
    public var finalResolution: Int { resolution(ofStage: stageCount - 1) }
    /// `c_freq_bin`: frequency rows per time chunk of the final grid.
    public var finalFrequencyBins: Int { finalResolution / frequencyRatio }
    /// Time steps of the token-semantic output: the final grid's columns times the chunks.
    public var finalTimeSteps: Int { finalResolution * frequencyRatio }

    /// The log-mel front end: torchlibrosa's periodic Hann STFT (centred, reflect padding), power 2,
    /// librosa's Slaney mel bank, and `10 log10(max(x, 1e-10))`.
    public var logMelConfiguration: LogMelConfiguration {
        LogMelConfiguration(
            sampleRate: sampleRate, fftSize: fftSize, hopLength: hopLength, melBandCount: melBinCount,
            minimumFrequency: minimumFrequency, maximumFrequency: maximumFrequency,
            patchFrameCount: targetFrameCount, roundsToHalfPrecision: false, scale: .decibels(floor: 1e-10, reference: 1))
    }

    public init(
        sampleRate: Int = 48_000, fftSize: Int = 1024, hopLength: Int = 480, melBinCount: Int = 64,
        minimumFrequency: Double = 50, maximumFrequency: Double = 14_000, clipSamples: Int = 480_000, classCount: Int = 527,
        spectrogramSize: Int = 256, patchSize: Int = 4, embeddingSize: Int = 96, depths: [Int] = [2, 2, 6, 2],
        headCounts: [Int] = [4, 8, 16, 32], attentionWindowSize: Int = 8, mlpRatio: Double = 4
    ) {
        self.sampleRate = sampleRate
        self.fftSize = fftSize
        self.hopLength = hopLength
        self.melBinCount = melBinCount
        self.minimumFrequency = minimumFrequency
        self.maximumFrequency = maximumFrequency
        self.clipSamples = clipSamples
        self.classCount = classCount
        self.spectrogramSize = spectrogramSize
        self.patchSize = patchSize
        self.embeddingSize = embeddingSize
        self.depths = depths
        self.headCounts = headCounts
        self.attentionWindowSize = attentionWindowSize
        self.mlpRatio = mlpRatio
    }

    /// `create_htsat_model`'s three bodies (the front end at CLAP's 48 kHz settings).
    public static func preset(named name: String) -> HTSATConfiguration? {
        switch name {
        case "tiny": HTSATConfiguration(embeddingSize: 96, depths: [2, 2, 6, 2])
        case "base": HTSATConfiguration(embeddingSize: 128, depths: [2, 2, 12, 2])
        case "large": HTSATConfiguration(embeddingSize: 256, depths: [2, 2, 12, 2])
        default: nil
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// The top-level keys of a laion_clap model configuration; `joint_embed_shape` and `mlp_act` are `CLAP`'s
    /// constructor arguments a configuration may set (read by ``ClapConfiguration``).
    static let modelKeys: Set<String> = ["embed_dim", "audio_cfg", "text_cfg", "joint_embed_shape", "mlp_act"]
    static let audioKeys: Set<String> = [
        "audio_length", "clip_samples", "mel_bins", "sample_rate", "window_size", "hop_size", "fmin", "fmax",
        "class_num", "model_type", "model_name", "htsat",
    ]
    static let bodyKeys: Set<String> = [
        "spec_size", "patch_size", "patch_stride", "embed_dim", "depths", "num_heads", "window_size", "mlp_ratio",
        "ape", "norm_before_mlp", "enable_fusion",
    ]

    public init(from decoder: any Decoder) throws {
        let outer = try decoder.container(keyedBy: AnyKey.self)
        let audio: KeyedDecodingContainer<AnyKey>
        if outer.contains(AnyKey("audio_cfg")) {
            try Self.rejectUnknown(in: outer, allowed: Self.modelKeys, object: "the model configuration")
            audio = try outer.nestedContainer(keyedBy: AnyKey.self, forKey: AnyKey("audio_cfg"))
        } else {
            audio = outer
        }
        try Self.rejectUnknown(in: audio, allowed: Self.audioKeys, object: "audio_cfg")
        func value<T: Decodable>(_ container: KeyedDecodingContainer<AnyKey>, _ key: String, _ fallback: T) throws -> T {
            try container.decodeIfPresent(T.self, forKey: AnyKey(key)) ?? fallback
        }
        let modelType = try value(audio, "model_type", "HTSAT")
        guard modelType == "HTSAT" else {
            throw DecodingError.dataCorruptedError(
                forKey: AnyKey("model_type"), in: audio, debugDescription: "model_type \"\(modelType)\" is not HTSAT (PANN audio towers are not ported)")
        }
        let modelName = try value(audio, "model_name", "tiny")
        var base: HTSATConfiguration
        if let preset = Self.preset(named: modelName) {
            base = preset
        } else if audio.contains(AnyKey("htsat")) {
            base = HTSATConfiguration()
        } else {
            throw DecodingError.dataCorruptedError(
                forKey: AnyKey("model_name"), in: audio, debugDescription: "model_name \"\(modelName)\" is not tiny, base or large and no htsat object gives the body")
        }
        base.sampleRate = try value(audio, "sample_rate", base.sampleRate)
        base.fftSize = try value(audio, "window_size", base.fftSize)
        base.hopLength = try value(audio, "hop_size", base.hopLength)
        base.melBinCount = try value(audio, "mel_bins", base.melBinCount)
        base.minimumFrequency = try value(audio, "fmin", base.minimumFrequency)
        base.maximumFrequency = try value(audio, "fmax", base.maximumFrequency)
        base.clipSamples = try value(audio, "clip_samples", base.clipSamples)
        base.classCount = try value(audio, "class_num", base.classCount)
        if audio.contains(AnyKey("htsat")) {
            let body = try audio.nestedContainer(keyedBy: AnyKey.self, forKey: AnyKey("htsat"))
            try Self.rejectUnknown(in: body, allowed: Self.bodyKeys, object: "htsat")
            base.spectrogramSize = try value(body, "spec_size", base.spectrogramSize)
            base.patchSize = try value(body, "patch_size", base.patchSize)
            let stride = try value(body, "patch_stride", [base.patchSize, base.patchSize])
            guard stride == [base.patchSize, base.patchSize] else {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyKey("patch_stride"), in: body, debugDescription: "patch_stride \(stride) differs from patch_size \(base.patchSize); overlapping patches are not supported")
            }
            base.embeddingSize = try value(body, "embed_dim", base.embeddingSize)
            base.depths = try value(body, "depths", base.depths)
            base.headCounts = try value(body, "num_heads", base.headCounts)
            base.attentionWindowSize = try value(body, "window_size", base.attentionWindowSize)
            base.mlpRatio = try value(body, "mlp_ratio", base.mlpRatio)
            for flag in ["ape", "enable_fusion"] {
                if try value(body, flag, false) {
                    throw DecodingError.dataCorruptedError(forKey: AnyKey(flag), in: body, debugDescription: "\(flag) is not supported")
                }
            }
            guard try value(body, "norm_before_mlp", "ln") == "ln" else {
                throw DecodingError.dataCorruptedError(forKey: AnyKey("norm_before_mlp"), in: body, debugDescription: "only norm_before_mlp \"ln\" is supported")
            }
        }
        self = base
    }

    private static func rejectUnknown(in container: KeyedDecodingContainer<AnyKey>, allowed: Set<String>, object: String) throws {
        let unknown = container.allKeys.map(\.stringValue).filter { !allowed.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: container.codingPath, debugDescription: "unknown keys in \(object): \(unknown.joined(separator: ", "))"))
        }
    }

    /// Reads and validates a laion_clap model configuration JSON.
    public init(contentsOf url: URL) throws(EncoderError) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .unreadableConfiguration(model: "HTS-AT", path: url.path, reason: error.localizedDescription)
        }
        do {
            self = try JSONDecoder().decode(HTSATConfiguration.self, from: data)
        } catch {
            throw .unsupportedConfiguration(model: "HTS-AT", path: url.path, reason: String(describing: error))
        }
        try validate(path: url.path)
    }

    /// Throws when the sizes cannot describe the network `htsat.py` builds.
    public func validate(path: String) throws(EncoderError) {
        func fail(_ reason: String) -> EncoderError { .unsupportedConfiguration(model: "HTS-AT", path: path, reason: reason) }
        guard sampleRate > 0, fftSize > 0, fftSize % 2 == 0, hopLength > 0, melBinCount > 0, clipSamples > 0, classCount > 0 else {
            throw fail("sample_rate, hop_size, mel_bins, clip_samples and class_num must be positive and window_size positive and even")
        }
        guard minimumFrequency >= 0, minimumFrequency < maximumFrequency else { throw fail("fmin \(minimumFrequency) must be below fmax \(maximumFrequency)") }
        guard !depths.isEmpty, depths.count == headCounts.count, depths.allSatisfy({ $0 > 0 }) else {
            throw fail("depths \(depths) and num_heads \(headCounts) must be non-empty lists of one length")
        }
        guard spectrogramSize >= melBinCount, frequencyRatio > 0, spectrogramSize % frequencyRatio == 0, targetMelBinCount >= melBinCount else {
            throw fail("spec_size \(spectrogramSize) must be a multiple of freq_ratio = spec_size // mel_bins with mel_bins \(melBinCount)")
        }
        guard patchSize > 0, spectrogramSize % patchSize == 0, attentionWindowSize > 0 else {
            throw fail("spec_size \(spectrogramSize) must be a multiple of patch_size \(patchSize)")
        }
        for stage in 0..<stageCount {
            let side = resolution(ofStage: stage), width = width(ofStage: stage)
            guard side > 0, side << stage == patchGridSize else { throw fail("stage \(stage) has no whole token grid (\(patchGridSize) >> \(stage))") }
            guard side % windowSize(ofStage: stage) == 0 else { throw fail("stage \(stage)'s \(side) tokens per side are not a multiple of the window \(attentionWindowSize)") }
            guard headCounts[stage] > 0, width % headCounts[stage] == 0 else { throw fail("stage \(stage)'s \(width) channels do not split into \(headCounts[stage]) heads") }
            guard mlpWidth(ofStage: stage) > 0 else { throw fail("mlp_ratio \(mlpRatio) gives no MLP channels") }
        }
        guard finalFrequencyBins > 0, finalResolution % frequencyRatio == 0 else {
            throw fail("the final \(finalResolution) × \(finalResolution) grid does not split into freq_ratio \(frequencyRatio) time chunks")
        }
        guard clipSamples / hopLength + 1 <= targetFrameCount else {
            throw fail("clip_samples \(clipSamples) give \(clipSamples / hopLength + 1) frames, more than the image's \(targetFrameCount)")
        }
    }
}
