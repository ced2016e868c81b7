import DuetAudio
import DuetWeights
import Foundation

/// The parameters of laion_clap's HTS-AT as flat row-major Float32 arrays, read strictly from a
/// safetensors file by the names of `HTSAT_Swin_Transformer.state_dict()` (`bn0.weight`,
/// `patch_embed.proj.weight`, `layers.S.blocks.B.attn.qkv.weight`, `layers.S.downsample.reduction.weight`,
/// `norm.weight`, `tscam_conv.weight`, ...), optionally under a prefix: a CLAP checkpoint stores the
/// tower as `audio_branch.…` (and a checkpoint saved from DistributedDataParallel as
/// `module.audio_branch.…`); ``checkpointPrefix(in:)`` finds it.
///
/// Linear weights keep PyTorch's `[out, in]` layout.
///
/// Strictness: every parameter must be present with the configured shape, else
/// `WeightsError.missingKey` / `.shapeMismatch` names it. The buffers and frozen front-end tensors a
/// state dict also holds are read and checked against what Duet computes, so a checkpoint made with
/// other settings fails by name instead of computing something else:
/// - `spectrogram_extractor.stft.conv_real.weight` / `conv_imag.weight` `[N/2 + 1, 1, N]`: the windowed
///   DFT, `w[n] cos(2π k n / N)` and `−w[n] sin(2π k n / N)` with the periodic Hann `w` (within 1e-6);
/// - `logmel_extractor.melW` `[N/2 + 1, mel]`: the transposed Slaney mel bank (within 1e-6 of the largest weight);
/// - `layers.S.blocks.B.attn.relative_position_index` `[P, P]` and, for shifted blocks, `attn_mask`
///   `[windows, P, P]`: exactly ``SwinWindowLayout``'s;
/// - `bn0.num_batches_tracked` (shape only) and the classifier `head.weight`/`head.bias`, which
///   `forward` never uses (shape-checked, dropped).
/// Any other name under the prefix throws `WeightsError.unexpectedKeys` listing it; a fusion checkpoint's
/// `fusion_model.…` / `mel_conv…` tensors are reported as the unsupported feature fusion. With
/// `ignoringOtherBranches`, names outside the prefix (a CLAP checkpoint's text branch and projections)
/// are skipped.
public struct HTSATWeights: Sendable {
    /// One Swin block: a pre-norm layer (`norm1`, `attn.qkv`, `attn.proj`, `norm2`, `mlp.fc1`, `mlp.fc2`;
    /// widths `width` and `mlp`) and its attention's relative position table `[(2 window − 1)², heads]`.
    public struct Block: Sendable {
        public var layer: PreNormLayerWeights
        public var relativePositionTable: [Float]
    }

    /// One stage: its blocks and, except for the last stage, the patch merging.
    public struct Stage: Sendable {
        public var blocks: [Block]
        /// `[4 · width]` (`downsample.norm`), nil in the last stage.
        public var mergeNormScale: [Float]?
        public var mergeNormShift: [Float]?
        /// `[2 · width, 4 · width]` (`downsample.reduction`, no bias).
        public var mergeReduction: [Float]?
    }

    /// `bn0`, over mel bins: `[mel]` each.
    public var batchNormScale: [Float]
    public var batchNormShift: [Float]
    public var batchNormMean: [Float]
    public var batchNormVariance: [Float]
    /// `[embed, 1, patch, patch]`.
    public var patchWeight: [Float]
    public var patchBias: [Float]
    public var patchNormScale: [Float]
    public var patchNormShift: [Float]
    public var stages: [Stage]
    /// `[features]`.
    public var finalNormScale: [Float]
    public var finalNormShift: [Float]
    /// `[classes, features, finalFrequencyBins, 3]`.
    public var tokenSemanticWeight: [Float]
    public var tokenSemanticBias: [Float]

}

extension HTSATWeights {
    /// The prefixes a CLAP checkpoint puts before the audio tower's names, longest first.
    public static let knownPrefixes = ["module.audio_branch.", "audio_branch."]

    /// The prefix under which `file` holds the tower: one of ``knownPrefixes`` when a `…bn0.weight` sits
    /// under it, else "" (the tower's own state dict).
    public static func checkpointPrefix(in file: SafetensorsFile) -> String {
        knownPrefixes.first { file.shape(of: $0 + "bn0.weight") != nil } ?? ""
    }

    /// Reads every parameter of `configuration` from `file` under `prefix`, strictly (see the type's notes).
    public init(file: SafetensorsFile, configuration: HTSATConfiguration, prefix: String = "", ignoringOtherBranches: Bool = false) throws {
        let path = file.url.path
        var consumed = Set<String>()
        func read(_ name: String, _ shape: [Int]) throws -> [Float] {
            consumed.insert(prefix + name)
            return try file.tensor(named: prefix + name, expectedShape: shape).storage
        }
        let fusion = file.names.filter { $0.hasPrefix(prefix) && ($0.contains("fusion_model.") || $0.contains("mel_conv")) }
        guard fusion.isEmpty else {
            throw EncoderError.unsupportedConfiguration(
                model: "HTS-AT", path: path, reason: "the checkpoint holds feature-fusion tensors (\(fusion.prefix(3).joined(separator: ", ")), …); fusion models are not supported, use a non-fusion CLAP checkpoint")
        }
        let mel = configuration.melBinCount, embed = configuration.embeddingSize, patch = configuration.patchSize
        try Self.checkFrontEnd(read: read, configuration: configuration, path: path, prefix: prefix)
        batchNormScale = try read("bn0.weight", [mel])
        batchNormShift = try read("bn0.bias", [mel])
        batchNormMean = try read("bn0.running_mean", [mel])
        batchNormVariance = try read("bn0.running_var", [mel])
        if file.shape(of: prefix + "bn0.num_batches_tracked") != nil { _ = try read("bn0.num_batches_tracked", []) }
        patchWeight = try read("patch_embed.proj.weight", [embed, 1, patch, patch])
        patchBias = try read("patch_embed.proj.bias", [embed])
        patchNormScale = try read("patch_embed.norm.weight", [embed])
        patchNormShift = try read("patch_embed.norm.bias", [embed])
        stages = []
        for stage in 0..<configuration.stageCount {
            let width = configuration.width(ofStage: stage), hidden = configuration.mlpWidth(ofStage: stage)
            let heads = configuration.headCounts[stage], side = configuration.resolution(ofStage: stage)
            var blocks: [Block] = []
            for block in 0..<configuration.depths[stage] {
                let base = "layers.\(stage).blocks.\(block)."
                let layout = SwinWindowLayout(
                    height: side, width: side, window: configuration.windowSize(ofStage: stage),
                    shift: configuration.shift(ofStage: stage, block: block))
                let tableRows = (2 * layout.window - 1) * (2 * layout.window - 1)
                let index = try read(base + "attn.relative_position_index", [layout.windowTokens, layout.windowTokens])
                guard index == layout.relativePositionIndex.map(Float.init) else {
                    throw EncoderError.unexpectedBuffer(name: prefix + base + "attn.relative_position_index", path: path, reason: "differs from the relative position index of a \(layout.window) × \(layout.window) window")
                }
                if let mask = layout.attentionMask {
                    let stored = try read(base + "attn_mask", [layout.windowCount, layout.windowTokens, layout.windowTokens])
                    guard stored == mask else {
                        throw EncoderError.unexpectedBuffer(name: prefix + base + "attn_mask", path: path, reason: "differs from the shifted-window mask of a \(side) × \(side) grid, window \(layout.window), shift \(layout.shift)")
                    }
                }
                blocks.append(Block(
                    layer: PreNormLayerWeights(
                        firstNormScale: try read(base + "norm1.weight", [width]),
                        firstNormShift: try read(base + "norm1.bias", [width]),
                        queryKeyValueWeight: try read(base + "attn.qkv.weight", [3 * width, width]),
                        queryKeyValueBias: try read(base + "attn.qkv.bias", [3 * width]),
                        attentionOutputWeight: try read(base + "attn.proj.weight", [width, width]),
                        attentionOutputBias: try read(base + "attn.proj.bias", [width]),
                        secondNormScale: try read(base + "norm2.weight", [width]),
                        secondNormShift: try read(base + "norm2.bias", [width]),
                        intermediateWeight: try read(base + "mlp.fc1.weight", [hidden, width]),
                        intermediateBias: try read(base + "mlp.fc1.bias", [hidden]),
                        outputWeight: try read(base + "mlp.fc2.weight", [width, hidden]),
                        outputBias: try read(base + "mlp.fc2.bias", [width])),
                    relativePositionTable: try read(base + "attn.relative_position_bias_table", [tableRows, heads])))
            }
            var stageWeights = Stage(blocks: blocks)
            if stage < configuration.stageCount - 1 {
                let base = "layers.\(stage).downsample."
                stageWeights.mergeNormScale = try read(base + "norm.weight", [4 * width])
                stageWeights.mergeNormShift = try read(base + "norm.bias", [4 * width])
                stageWeights.mergeReduction = try read(base + "reduction.weight", [2 * width, 4 * width])
            }
            stages.append(stageWeights)
        }
        let features = configuration.featureCount, classes = configuration.classCount
        finalNormScale = try read("norm.weight", [features])
        finalNormShift = try read("norm.bias", [features])
        tokenSemanticWeight = try read("tscam_conv.weight", [classes, features, configuration.finalFrequencyBins, 3])
        tokenSemanticBias = try read("tscam_conv.bias", [classes])
        _ = try read("head.weight", [classes, classes])
        _ = try read("head.bias", [classes])

        let unexpected = file.names.filter { name in
            !consumed.contains(name) && (name.hasPrefix(prefix) || !ignoringOtherBranches)
        }
        guard unexpected.isEmpty else { throw WeightsError.unexpectedKeys(names: unexpected, path: path) }
    }

    /// Checks torchlibrosa's frozen STFT and mel tensors against the configuration's front end.
    private static func checkFrontEnd(
        read: (String, [Int]) throws -> [Float], configuration: HTSATConfiguration, path: String, prefix: String
    ) throws {
        let size = configuration.fftSize, bins = size / 2 + 1, mel = configuration.melBinCount
        let real = try read("spectrogram_extractor.stft.conv_real.weight", [bins, 1, size])
        let imaginary = try read("spectrogram_extractor.stft.conv_imag.weight", [bins, 1, size])
        let window = (0..<size).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(size)) }
        for bin in 0..<bins {
            for sample in 0..<size {
                // k n mod N keeps the angle small, so the reference value is accurate to double precision.
                let angle = 2 * Double.pi * Double((bin * sample) % size) / Double(size)
                let index = bin * size + sample
                guard abs(Double(real[index]) - window[sample] * cos(angle)) <= 1e-6,
                      abs(Double(imaginary[index]) + window[sample] * sin(angle)) <= 1e-6 else {
                    throw EncoderError.unexpectedBuffer(
                        name: prefix + "spectrogram_extractor.stft.conv_\(abs(Double(real[index]) - window[sample] * cos(angle)) <= 1e-6 ? "imag" : "real").weight",
                        path: path, reason: "is not the periodic-Hann windowed DFT of length \(size) (bin \(bin), sample \(sample))")
                }
            }
        }
        let stored = try read("logmel_extractor.melW", [bins, mel])
        let bank = MelFilterBank(
            sampleRate: configuration.sampleRate, fftSize: size, bandCount: mel,
            minimumFrequency: configuration.minimumFrequency, maximumFrequency: configuration.maximumFrequency)
        let largest = bank.weights.reduce(0) { max($0, abs($1)) }
        for band in 0..<mel {
            for bin in 0..<bins where abs(stored[bin * mel + band] - bank.weights[band * bins + bin]) > 1e-6 * largest {
                throw EncoderError.unexpectedBuffer(
                    name: prefix + "logmel_extractor.melW", path: path,
                    reason: "is not the Slaney mel bank of \(mel) bands from \(configuration.minimumFrequency) to \(configuration.maximumFrequency) Hz at \(configuration.sampleRate) Hz (band \(band), bin \(bin)); check sample_rate, mel_bins, fmin and fmax")
            }
        }
    }
}
