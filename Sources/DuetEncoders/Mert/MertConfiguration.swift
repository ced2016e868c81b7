import Foundation

/// The hyper-parameters of a MERT-v1 encoder (Li et al. 2023, "MERT: Acoustic Music Understanding
/// Model with Large-Scale Self-supervised Training"), decoded from the checkpoint's own `config.json`
/// with the field names of `transformers`' `HubertConfig`, which MERT's `MERTConfig` extends.
///
/// The released checkpoints (`m-a-p/MERT-v1-95M`, `m-a-p/MERT-v1-330M`) share the feature encoder
/// (7 convolutions of 512 channels, kernels 10,3,3,3,3,2,2, strides 5,2,2,2,2,2,2, no bias, a group
/// norm after the first: `feat_extract_norm` "group"), a feature projection with a layer norm, and a
/// positional convolution of kernel 128 in 16 groups. 95M: 12 post-norm layers of 768 channels
/// (`do_stable_layer_norm` false); 330M: 24 pre-norm layers of 1024 channels with a final norm
/// (`do_stable_layer_norm` true). MERT's own options that change the network (`feature_extractor_cqt`,
/// `deepnorm`, `conv_pos_batch_norm`) are false in both and refused here when set; `attention_relax`
/// only acts under `deepnorm` (Docs/audio-tower.md).
public struct MertConfiguration: Decodable, Sendable, Equatable {
    /// Where the feature encoder normalises (`feat_extract_norm`).
    public enum FeatureEncoderNorm: String, Sendable, Equatable {
        /// A group norm with one group per channel (each channel over time) after the first
        /// convolution only: MERT-v1, HuBERT base.
        case group
        /// A layer norm over the channels of every frame after every convolution.
        case layer
    }

    public var hiddenSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var intermediateSize: Int
    public var activation: EncoderActivation
    public var featureEncoderActivation: EncoderActivation
    public var layerNormEpsilon: Float
    public var featureEncoderNorm: FeatureEncoderNorm
    /// Output channels of each feature-encoder convolution (`conv_dim`).
    public var convolutionChannels: [Int]
    public var convolutionKernels: [Int]
    public var convolutionStrides: [Int]
    public var convolutionBias: Bool
    /// The positional convolution's kernel (`num_conv_pos_embeddings`) and groups.
    public var positionKernel: Int
    public var positionGroups: Int
    /// Pre-norm layers and a final norm (`do_stable_layer_norm`), else post-norm layers after a norm
    /// of the embeddings.
    public var preNorm: Bool
    /// A layer norm before the feature projection (`feat_proj_layer_norm`, default true).
    public var featureProjectionNorm: Bool
    /// The waveform's sample rate (MERT's `sample_rate`; HuBERT configurations have none: 16 kHz).
    public var sampleRate: Int

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size", layerCount = "num_hidden_layers", headCount = "num_attention_heads"
        case intermediateSize = "intermediate_size", activation = "hidden_act"
        case featureEncoderActivation = "feat_extract_activation", layerNormEpsilon = "layer_norm_eps"
        case featureEncoderNorm = "feat_extract_norm", convolutionChannels = "conv_dim", convolutionKernels = "conv_kernel"
        case convolutionStrides = "conv_stride", convolutionBias = "conv_bias", positionKernel = "num_conv_pos_embeddings"
        case positionGroups = "num_conv_pos_embedding_groups", preNorm = "do_stable_layer_norm"
        case featureProjectionNorm = "feat_proj_layer_norm", sampleRate = "sample_rate"
        // Options of MERT's own code, read to refuse the ones the port does not implement.
        case constantQTransform = "feature_extractor_cqt", deepNorm = "deepnorm", positionBatchNorm = "conv_pos_batch_norm"
        case modelType = "model_type"
    }

    /// The `model_type` values accepted: MERT's own and HuBERT's.
    public static let modelTypes: Set<String> = ["mert_model", "hubert"]

    /// MERT-v1-95M's network (its `config.json`), for building random checkpoints of the real shape.
    public static let mert95M = MertConfiguration(
        hiddenSize: 768, layerCount: 12, headCount: 12, intermediateSize: 3072, preNorm: false)
    /// MERT-v1-330M's network.
    public static let mert330M = MertConfiguration(
        hiddenSize: 1024, layerCount: 24, headCount: 16, intermediateSize: 4096, preNorm: true)

    public init(
        hiddenSize: Int, layerCount: Int, headCount: Int, intermediateSize: Int, preNorm: Bool,
        activation: EncoderActivation = .gelu, featureEncoderActivation: EncoderActivation = .gelu,
        layerNormEpsilon: Float = 1e-5, featureEncoderNorm: FeatureEncoderNorm = .group,
        convolutionChannels: [Int] = [Int](repeating: 512, count: 7), convolutionKernels: [Int] = [10, 3, 3, 3, 3, 2, 2],
        convolutionStrides: [Int] = [5, 2, 2, 2, 2, 2, 2], convolutionBias: Bool = false,
        positionKernel: Int = 128, positionGroups: Int = 16, featureProjectionNorm: Bool = true, sampleRate: Int = 24000
    ) {
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.intermediateSize = intermediateSize
        self.preNorm = preNorm
        self.activation = activation
        self.featureEncoderActivation = featureEncoderActivation
        self.layerNormEpsilon = layerNormEpsilon
        self.featureEncoderNorm = featureEncoderNorm
        self.convolutionChannels = convolutionChannels
        self.convolutionKernels = convolutionKernels
        self.convolutionStrides = convolutionStrides
        self.convolutionBias = convolutionBias
        self.positionKernel = positionKernel
        self.positionGroups = positionGroups
        self.featureProjectionNorm = featureProjectionNorm
        self.sampleRate = sampleRate
    }

    /// Absent fields take `HubertConfig`'s defaults (HuBERT base), except the sample rate: MERT's
    /// 24 kHz for `model_type` "mert_model", HuBERT's 16 kHz otherwise.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let modelType = try container.decodeIfPresent(String.self, forKey: .modelType) ?? "hubert"
        guard Self.modelTypes.contains(modelType) else {
            throw DecodingError.dataCorruptedError(
                forKey: .modelType, in: container, debugDescription: "model_type \"\(modelType)\" is not one of \(Self.modelTypes.sorted())")
        }
        func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try container.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        func readActivation(_ key: CodingKeys) throws -> EncoderActivation {
            let name = try value(key, "gelu")
            guard let activation = EncoderActivation(configurationName: name) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container,
                    debugDescription: "activation \"\(name)\" is not one of \(EncoderActivation.allCases.map(\.rawValue))")
            }
            return activation
        }
        hiddenSize = try value(.hiddenSize, 768)
        layerCount = try value(.layerCount, 12)
        headCount = try value(.headCount, 12)
        intermediateSize = try value(.intermediateSize, 3072)
        activation = try readActivation(.activation)
        featureEncoderActivation = try readActivation(.featureEncoderActivation)
        layerNormEpsilon = try value(.layerNormEpsilon, 1e-5)
        let norm = try value(.featureEncoderNorm, "group")
        guard let featureEncoderNorm = FeatureEncoderNorm(rawValue: norm) else {
            throw DecodingError.dataCorruptedError(
                forKey: .featureEncoderNorm, in: container, debugDescription: "feat_extract_norm \"\(norm)\" is not \"group\" or \"layer\"")
        }
        self.featureEncoderNorm = featureEncoderNorm
        convolutionChannels = try value(.convolutionChannels, [Int](repeating: 512, count: 7))
        convolutionKernels = try value(.convolutionKernels, [10, 3, 3, 3, 3, 2, 2])
        convolutionStrides = try value(.convolutionStrides, [5, 2, 2, 2, 2, 2, 2])
        convolutionBias = try value(.convolutionBias, false)
        positionKernel = try value(.positionKernel, 128)
        positionGroups = try value(.positionGroups, 16)
        preNorm = try value(.preNorm, false)
        featureProjectionNorm = try value(.featureProjectionNorm, true)
        sampleRate = try value(.sampleRate, modelType == "mert_model" ? 24000 : 16000)
        for (key, name) in [(CodingKeys.constantQTransform, "feature_extractor_cqt"), (.deepNorm, "deepnorm"), (.positionBatchNorm, "conv_pos_batch_norm")] {
            if try container.decodeIfPresent(Bool.self, forKey: key) == true {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container,
                    debugDescription: "\(name) is true; the released MERT-v1 checkpoints leave it false and Duet does not implement it")
            }
        }
    }

    /// Reads and validates `config.json`.
    public init(contentsOf url: URL) throws(EncoderError) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .unreadableConfiguration(model: "MERT", path: url.path, reason: error.localizedDescription)
        }
        do {
            self = try JSONDecoder().decode(MertConfiguration.self, from: data)
        } catch {
            throw .unreadableConfiguration(model: "MERT", path: url.path, reason: String(describing: error))
        }
        try validate(path: url.path)
    }

    /// Throws when the sizes are inconsistent.
    public func validate(path: String) throws(EncoderError) {
        func fail(_ reason: String) -> EncoderError { .unsupportedConfiguration(model: "MERT", path: path, reason: reason) }
        guard hiddenSize > 0, headCount > 0, hiddenSize % headCount == 0 else {
            throw fail("hidden_size \(hiddenSize) is not a positive multiple of num_attention_heads \(headCount)")
        }
        guard layerCount > 0, intermediateSize > 0, sampleRate > 0 else { throw fail("sizes must be positive") }
        guard !convolutionChannels.isEmpty, convolutionChannels.count == convolutionKernels.count,
              convolutionChannels.count == convolutionStrides.count else {
            throw fail("conv_dim, conv_kernel and conv_stride must be equally long and non-empty (\(convolutionChannels.count), \(convolutionKernels.count), \(convolutionStrides.count))")
        }
        guard (convolutionChannels + convolutionKernels + convolutionStrides).allSatisfy({ $0 > 0 }) else {
            throw fail("convolution channels, kernels and strides must be positive")
        }
        guard positionKernel > 0, positionGroups > 0, hiddenSize % positionGroups == 0 else {
            throw fail("num_conv_pos_embedding_groups \(positionGroups) must divide hidden_size \(hiddenSize)")
        }
    }

    /// Channels per attention head.
    public var headSize: Int { hiddenSize / headCount }
    /// Channels per group of the positional convolution.
    public var positionGroupSize: Int { hiddenSize / positionGroups }
    /// The hidden states one clip yields: the embedding output and each layer's (13 for 95M, 25 for 330M).
    public var stateCount: Int { layerCount + 1 }

    /// The shortest clip with one frame: the feature encoder's receptive field (400 samples for MERT).
    public var minimumSampleCount: Int {
        var field = 1
        for (kernel, stride) in zip(convolutionKernels, convolutionStrides).reversed() { field = (field - 1) * stride + kernel }
        return field
    }

    /// Frames the feature encoder makes of `samples` samples: `⌊(n − k) / s⌋ + 1` per convolution
    /// (0 when the clip is shorter than ``minimumSampleCount``).
    public func frameCount(samples: Int) -> Int {
        var length = samples
        for (kernel, stride) in zip(convolutionKernels, convolutionStrides) {
            guard length >= kernel else { return 0 }
            length = (length - kernel) / stride + 1
        }
        return length
    }
}
