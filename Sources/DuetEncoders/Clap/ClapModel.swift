import DuetTensor
import DuetText
import DuetWeights
import Foundation

/// LAION-CLAP (laion_clap 1.1.7, `clap_module/model.py`, non-fusion, HTS-AT audio tower, RoBERTa text tower)
/// for inference: L2-normalised audio and text embeddings in one `jointWidth`-wide space (512 for the
/// released checkpoints), ranked against each other by cosine.
///
/// Audio (`CLAP_Module.get_audio_embedding_from_data` then `CLAP.get_audio_embedding`), per waveform
/// (mono, at `audio_cfg.sample_rate`, 48 kHz):
/// 1. laion_clap's 16-bit round trip: `x ← trunc(clip(x, −1, 1) · 32767) / 32767` (``quantized(_:)``);
/// 2. to `clip_samples` (480,000 = 10 s) as `get_audio_features` does with `data_filling="repeatpad"`: a
///    shorter waveform of `n` samples is repeated `⌊clip_samples / n⌋` times and zero-padded at the end;
///    a longer one is cut. laion_clap cuts at a random offset (`rand_trunc`); Duet always keeps the first
///    `clip_samples` (offset 0, one of the offsets laion_clap draws), so the embedding is deterministic
///    (``preparedClip(_:clipSamples:)``);
/// 3. HTS-AT's clip embedding (``HTSATModel/Output/embedding``, `[batch, embed_dim]`);
/// 4. `audio_projection`: `W₂ act(W₁ x + b₁) + b₂` (``ClapProjection``), then `x / max(‖x‖, 1e-12)`.
///
/// Text (`CLAP_Module.get_text_embedding`, `CLAP.encode_text` for `"roberta"`):
/// 1. the RoBERTa tokenizer (`vocab.json`, `merges.txt`), `<s> … </s>` truncated to `context_length` = 77
///    tokens (laion_clap pads to 77 with an attention mask; padding changes nothing and is not computed);
/// 2. RoBERTa's `pooler_output`, `tanh(W h₀ + b)` of the first token's last-layer state;
/// 3. `text_projection`, then the same normalisation.
///
/// Shapes are `[batch, channels]`. No tape is recorded; the model is safe to call from several tasks.
public final class ClapModel: Sendable {
    public let configuration: ClapConfiguration
    public let weights: ClapWeights
    public let audioTower: HTSATModel
    public let textTower: BertModel
    public let tokenizer: ByteLevelBPETokenizer

    /// One branch's output for a batch.
    public struct Embeddings: Sendable {
        /// What the projection reads, `[batch, towerWidth]`: HTS-AT's `embedding` or RoBERTa's `pooler_output`.
        public var towerOutput: Tensor
        /// The projection's output before normalisation, `[batch, jointWidth]`.
        public var projected: Tensor
        /// The L2-normalised embeddings, `[batch, jointWidth]`.
        public var embedding: Tensor

        /// The rows of ``embedding``.
        public var rows: [[Float]] {
            let width = embedding.shape[1]
            return (0..<embedding.shape[0]).map { Array(embedding.storage[($0 * width)..<(($0 + 1) * width)]) }
        }
    }

    /// Waveforms per HTS-AT call: bounds the activations held at once (about 30 MB per 10-s clip for HTSAT-tiny).
    static let audioBatchSize = 4

    public init(configuration: ClapConfiguration, weights: ClapWeights, tokenizer: ByteLevelBPETokenizer) {
        self.configuration = configuration
        self.weights = weights
        audioTower = HTSATModel(configuration: configuration.audio, weights: weights.audio)
        textTower = BertModel(configuration: configuration.text, weights: weights.text)
        self.tokenizer = tokenizer
    }

    /// The files of a CLAP folder, in fingerprint order: laion_clap's model configuration, the text tower's
    /// `config.json` as `text_config.json`, the converted checkpoint, and roberta-base's tokenizer files.
    public static let folderFiles = [
        ClapConfiguration.modelConfigurationFileName, ClapConfiguration.textConfigurationFileName, "model.safetensors", "vocab.json", "merges.txt",
    ]

    /// Loads a CLAP folder (``folderFiles``), strictly: see ``ClapConfiguration`` and ``ClapWeights``.
    public convenience init(directory: URL) throws {
        for name in Self.folderFiles where !FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path) {
            throw EncoderError.unreadableConfiguration(
                model: "CLAP", path: directory.appendingPathComponent(name).path,
                reason: "the CLAP folder needs \(Self.folderFiles.joined(separator: ", ")) (see Docs/encoders.md)")
        }
        let configuration = try ClapConfiguration(directory: directory)
        let file = try SafetensorsFile(url: directory.appendingPathComponent("model.safetensors"))
        let weights = try ClapWeights(file: file, configuration: configuration)
        let tokenizer = try ByteLevelBPETokenizer(directory: directory, maximumLength: configuration.textLength)
        self.init(configuration: configuration, weights: weights, tokenizer: tokenizer)
        try TokenStateEncoder.checkVocabulary(
            largest: tokenizer.model.vocabulary.values.max() ?? 0, of: "CLAP text", model: textTower, directory: directory)
    }

    // MARK: Audio

    /// laion_clap's `int16_to_float32(float32_to_int16(x))`: clip to [−1, 1], scale by 32767 in float32,
    /// truncate toward zero to an integer, divide by 32767 (in double precision, rounded to float32).
    public static func quantized(_ samples: [Float]) -> [Float] {
        samples.map { sample in
            let level = (min(max(sample, -1), 1) * 32767).rounded(.towardZero)
            return Float(Double(level) / 32767)
        }
    }

    /// `samples` brought to `clipSamples` as laion_clap's `get_audio_features` (`repeatpad`) does, with
    /// the cut of a longer waveform at offset 0 (see the type's notes). Quantise first.
    /// - Throws: `EncoderError.invalidInput` for an empty waveform.
    public static func preparedClip(_ samples: [Float], clipSamples: Int) throws(EncoderError) -> [Float] {
        guard !samples.isEmpty else { throw .invalidInput(model: "CLAP", reason: "an empty waveform has no audio to repeat") }
        if samples.count >= clipSamples { return Array(samples.prefix(clipSamples)) }
        var clip: [Float] = []
        clip.reserveCapacity(clipSamples)
        for _ in 0..<(clipSamples / samples.count) { clip += samples }
        clip += [Float](repeating: 0, count: clipSamples - clip.count)
        return clip
    }

    /// The CLAP audio embeddings of mono waveforms at `audio_cfg.sample_rate`, each of any length (see the
    /// type's notes for how it becomes a `clip_samples` clip).
    public func audioEmbeddings(waveforms: [[Float]]) throws -> Embeddings {
        guard !waveforms.isEmpty else { throw EncoderError.invalidInput(model: "CLAP", reason: "no waveforms") }
        var features: [Float] = []
        for start in stride(from: 0, to: waveforms.count, by: Self.audioBatchSize) {
            let clips = try waveforms[start..<min(waveforms.count, start + Self.audioBatchSize)].map {
                try Self.preparedClip(Self.quantized($0), clipSamples: configuration.audio.clipSamples)
            }
            features += try audioTower(clips).embedding.storage
        }
        return project(features, rows: waveforms.count, width: configuration.audioWidth, through: weights.audioProjection)
    }

    // MARK: Text

    /// The CLAP text embeddings of `texts` (tokenised with RoBERTa's tokenizer, truncated to ``ClapConfiguration/textLength``).
    public func textEmbeddings(_ texts: [String]) throws -> Embeddings {
        try textEmbeddings(tokenIdentifiers: texts.map { tokenizer.encode($0).ids })
    }

    /// The CLAP text embeddings of tokenised texts (`<s> … </s>` included).
    public func textEmbeddings(tokenIdentifiers: [[Int32]]) throws -> Embeddings {
        guard !tokenIdentifiers.isEmpty else { throw EncoderError.invalidInput(model: "CLAP", reason: "no texts") }
        let pooled = try textTower.pooledOutputs(sentences: tokenIdentifiers)
        return project(pooled.flatMap { $0 }, rows: tokenIdentifiers.count, width: configuration.text.hiddenSize, through: weights.textProjection)
    }

    private func project(_ features: [Float], rows: Int, width: Int, through projection: ClapProjection) -> Embeddings {
        let joint = configuration.jointWidth
        let projected = projection(features, rows: rows)
        let normalised = (0..<rows).flatMap { BertModel.normalized(Array(projected[($0 * joint)..<(($0 + 1) * joint)])) }
        return Embeddings(
            towerOutput: Tensor(features, shape: [rows, width]), projected: Tensor(projected, shape: [rows, joint]),
            embedding: Tensor(normalised, shape: [rows, joint]))
    }
}
