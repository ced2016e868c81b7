import DuetNN
import DuetRandom
import DuetTensor

/// The audio encoder of the paper's no-pre-training configuration: a small CNN trained from
/// scratch on a clip's log-mel spectrogram, producing a short token sequence for the audio branch.
///
/// 1. Per-clip standardisation (no parameters): `(x − μ)/√(σ² + 10⁻⁵)` over all frames and
///    bands of the clip, so the network sees spectral shape and dynamics, not mastering level.
/// 2. `[batch, 1, frames, bands]` through one block per entry of `channels`: 3×3 convolution
///    (padding 1) → 2×2 max pooling → group normalisation (one group: per item over channels and
///    positions, which keeps training from scratch stable at the paper's learning rate) → ReLU.
///    The last block pools bands only, so a 128-frame input leaves `frames/2^(n−1)` = 16 tokens
///    (0.6 s of a 10-s clip each). Pooling comes before the normalisation so that it and the ReLU
///    touch a quarter of the values (max pooling and ReLU commute).
/// 3. Mean over the remaining bands, then a LayerNorm over the channels.
///
/// `[batch, frames, bands]` → `[batch, frames/2^(n−1), channels.last]`.
/// Keys: `blocks.<i>.weight`, `blocks.<i>.bias`, `block_norms.<i>.weight`, `block_norms.<i>.bias`,
/// `norm.weight`, `norm.bias`.
public final class ConvolutionalAudioEncoder: Module {
    public let frameCount: Int
    public let bandCount: Int
    public let blocks: [Convolution2d]
    public let blockNorms: [GroupNorm]
    public let norm: LayerNorm

    public init(frameCount: Int, bandCount: Int, channels: [Int], using generator: inout SeededGenerator) {
        let poolings = channels.count - 1
        precondition(!channels.isEmpty && channels.allSatisfy { $0 > 0 }, "convolution channels must be positive, got \(channels)")
        precondition(frameCount >> poolings >= 1 && bandCount >> channels.count >= 1,
                     "\(frameCount) frames x \(bandCount) bands are too few for \(channels.count) pooling blocks")
        self.frameCount = frameCount
        self.bandCount = bandCount
        var inputChannels = 1
        var blocks: [Convolution2d] = []
        for outputChannels in channels {
            blocks.append(Convolution2d(inputChannels, outputChannels, kernel: (3, 3), padding: (1, 1), using: &generator))
            inputChannels = outputChannels
        }
        self.blocks = blocks
        blockNorms = channels.map { GroupNorm(groups: 1, channels: $0) }
        norm = LayerNorm(inputChannels)
    }

    public override var children: [(key: String, module: Module)] {
        blocks.enumerated().map { (key: "blocks.\($0.offset)", module: $0.element as Module) }
            + blockNorms.enumerated().map { (key: "block_norms.\($0.offset)", module: $0.element as Module) }
            + [("norm", norm)]
    }

    /// Tokens per clip at the output.
    public var tokenCount: Int { frameCount >> (blocks.count - 1) }
    /// Channels per token at the output.
    public var outputWidth: Int { norm.weight.count }

    /// `[batch, frames, bands]` log-mel → `[batch, tokenCount, outputWidth]`.
    public func callAsFunction(_ logMel: Tensor) -> Tensor {
        precondition(logMel.rank == 3 && logMel.shape[1] == frameCount && logMel.shape[2] == bandCount,
                     "the from-scratch audio encoder needs [batch, \(frameCount), \(bandCount)] log-mel, got \(logMel.shape)")
        let batch = logMel.shape[0]
        let values = frameCount * bandCount
        var x = logMel.reshaped([batch, values])
            .layerNorm(weight: Tensor.ones([values]), bias: Tensor.zeros([values]))
            .reshaped([batch, 1, frameCount, bandCount])
        for (index, block) in blocks.enumerated() {
            let last = index == blocks.count - 1
            // conv → max pool → group norm → ReLU in one fused pass per item (the same function as
            // `blockNorms[index](block(x).maxPool2d(kernel:)).relu()`, without the full-size activations).
            x = Tensor.convolutionBlock(
                x, weight: block.weight, bias: block.bias, padding: block.padding, pooling: last ? (1, 2) : (2, 2),
                normalizationWeight: blockNorms[index].weight, normalizationBias: blockNorms[index].bias,
                epsilon: blockNorms[index].epsilon)
        }
        // [batch, channels, tokens, bands] → mean over bands → [batch, tokens, channels].
        let tokens = x.mean(axes: [3]).permuted([0, 2, 1])
        return norm(tokens)
    }
}
