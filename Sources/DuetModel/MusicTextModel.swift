import DuetNN
import DuetRandom
import DuetTensor

/// DuET-MC (Dual-Encoder Text-Music Contrastive), the trainable part: projection branches over
/// locked audio and text features, each a Transformer with a learnable [CLS] whose output is the
/// branch's embedding (Manco, Salamon & Nieto, 2023, section 2.1).
///
/// - Audio, locked musicnn (`audioEncoderKind == .musicnn`): per-frame layer features pooled to
///   `audioTokenCount` tokens, `[batch, tokens, 753]` → `LayerAggregator` → `TransformerBranch`
///   → `[batch, 256]`.
/// - Audio, locked MERT (`.mert`): every hidden state pooled to `audioTokenCount` tokens,
///   `[batch, tokens, L · hidden]` → `LayerAggregator` (learned weighted sum across layers) →
///   `[batch, tokens, hidden]` → `TransformerBranch` → `[batch, 256]`.
/// - Audio, locked HTS-AT (`.htsat`): each stage averaged over frequency, pooled to `audioTokenCount`
///   tokens, `[batch, tokens, Σ stage widths]` → `LayerAggregator` (concatenation) → `TransformerBranch`.
/// - Audio, from scratch (`.scratch`): log-mel `[batch, 128, 96]` → `ConvolutionalAudioEncoder`
///   (16 tokens of 128) → `TransformerBranch` → `[batch, 256]`.
/// - Text: the locked text encoder's token states `[batch, time, 384]` (standardised per channel
///   when the configuration holds a `FeatureStandardization`) with a key-padding mask, after the
///   sentence token (their mean, ``SentenceToken``) when `textSentenceToken` is set →
///   `TransformerBranch` → `[batch, 256]`.
///
/// No positional embedding is added to the audio tokens: the tags a clip is described by hold
/// for the whole clip, so the branch pools a set; MiniLM's states already carry word order.
/// Parameter keys: `audio_aggregator.*` (musicnn, MERT, HTS-AT) or `audio_cnn.*` (from scratch), `audio.*`, `text.*`.
public final class MusicTextModel: Module {
    public let configuration: ModelConfiguration
    /// The layer aggregator over the locked audio encoder's layers (musicnn, MERT, HTS-AT models).
    public let audioAggregator: LayerAggregator?
    /// The CNN over log-mel (from-scratch models only).
    public let audioConvolution: ConvolutionalAudioEncoder?
    public let audio: TransformerBranch
    public let text: TransformerBranch
    /// The generator behind every dropout layer; its state is part of a resumable checkpoint.
    public let randomSource: RandomSource

    public init(configuration: ModelConfiguration = ModelConfiguration(), seed: UInt64 = 0) {
        self.configuration = configuration
        var generator = SeededGenerator(seed: seed)
        randomSource = RandomSource(seed: seed ^ 0x5EED_D209)
        let audioInputWidth: Int
        switch configuration.audioEncoderKind {
        case .musicnn, .mert, .htsat:
            let aggregator = LayerAggregator(widths: configuration.audioLayerWidths, mixing: configuration.audioEncoderKind.layerMixing)
            audioAggregator = aggregator
            audioConvolution = nil
            audioInputWidth = aggregator.outputWidth
        case .scratch:
            audioAggregator = nil
            let convolution = ConvolutionalAudioEncoder(
                frameCount: configuration.logMelFrameCount, bandCount: configuration.logMelBandCount,
                channels: configuration.convolutionChannels, using: &generator)
            audioConvolution = convolution
            audioInputWidth = convolution.outputWidth
        }
        audio = TransformerBranch(
            inputWidth: audioInputWidth, width: configuration.embeddingWidth, depth: configuration.layerCount,
            heads: configuration.headCount, feedForwardWidth: configuration.feedForwardWidth,
            dropout: configuration.dropout, activation: .gelu, randomSource: randomSource, using: &generator)
        text = TransformerBranch(
            inputWidth: configuration.textWidth, width: configuration.embeddingWidth, depth: configuration.layerCount,
            heads: configuration.headCount, feedForwardWidth: configuration.feedForwardWidth,
            dropout: configuration.dropout, activation: .gelu, randomSource: randomSource, using: &generator)
    }

    public override var children: [(key: String, module: Module)] {
        var children: [(key: String, module: Module)] = []
        if let audioAggregator { children.append(("audio_aggregator", audioAggregator)) }
        if let audioConvolution { children.append(("audio_cnn", audioConvolution)) }
        return children + [("audio", audio), ("text", text)]
    }

    /// Audio embeddings (not normalised). `features`: `[batch] + configuration.audioInputShape`
    /// → `[batch, width]`.
    public func embedAudio(_ features: Tensor) -> Tensor {
        if let audioConvolution { return audio(audioConvolution(features)) }
        guard let audioAggregator else { preconditionFailure("the initialiser builds an aggregator or a CNN") }
        return audio(audioAggregator(features))
    }

    /// Text embeddings (not normalised). `states`: `[batch, time, textWidth]`, the locked encoder's
    /// token states as it gives them (the configuration's standardisation, if any, is applied here);
    /// `keyPadding`: `[batch, time]`, true where padded → `[batch, width]`.
    public func embedText(_ states: Tensor, keyPadding: [Bool]?) -> Tensor {
        var (input, padding) = (states, keyPadding)
        if configuration.textSentenceToken { (input, padding) = SentenceToken.prepending(to: states, keyPadding: keyPadding) }
        guard let standardization = configuration.textStandardization else { return text(input, keyPadding: padding) }
        return text(standardization(input), keyPadding: padding)
    }
}
