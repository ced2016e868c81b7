import Foundation

/// The hyper-parameters of LAION-CLAP (Wu, Chen et al., "Large-scale Contrastive Language-Audio
/// Pretraining with Feature Fusion and Keyword-to-Caption Augmentation", ICASSP 2023) with an HTS-AT
/// audio tower and a RoBERTa text tower (laion_clap 1.1.7, `clap_module/model.py`, class `CLAP`), read
/// from two files of a CLAP folder:
/// - `config.json`: laion_clap's model configuration (`model_configs/HTSAT-tiny.json` or
///   `HTSAT-base.json`, unchanged): `embed_dim` (the audio tower's width, 768 for HTSAT-tiny), `audio_cfg`
///   (decoded by ``HTSATConfiguration``), `text_cfg` (only `context_length` and `model_type` are read: the
///   RoBERTa tower ignores the rest), and optionally `CLAP`'s own constructor arguments
///   `joint_embed_shape` (default 512) and `mlp_act` (`"relu"`, the default, or `"gelu"`);
/// - `text_config.json`: the text tower's Hugging Face `config.json` (roberta-base's), decoded by
///   ``BertConfiguration``; it must describe a RoBERTa.
///
/// Feature fusion is not supported (``HTSATConfiguration`` rejects it).
public struct ClapConfiguration: Sendable, Equatable {
    public var audio: HTSATConfiguration
    public var text: BertConfiguration
    /// `embed_dim`: the width of the audio tower's clip embedding, the audio projection's input.
    public var audioWidth: Int
    /// `joint_embed_shape`: the width of both projections' outputs, the shared embedding space.
    public var jointWidth: Int
    /// `mlp_act`: the activation between the two linear layers of the projection MLPs, `.relu` or `.gelu`.
    public var projectionActivation: EncoderActivation
    /// `text_cfg.context_length`: tokens per text including `<s>` and `</s>` (laion_clap's tokenizer pads
    /// and truncates to 77).
    public var contextLength: Int

    /// The file names inside a CLAP folder.
    public static let modelConfigurationFileName = "config.json"
    public static let textConfigurationFileName = "text_config.json"

    public init(
        audio: HTSATConfiguration, text: BertConfiguration, audioWidth: Int, jointWidth: Int = 512,
        projectionActivation: EncoderActivation = .relu, contextLength: Int = 77
    ) {
        self.audio = audio
        self.text = text
        self.audioWidth = audioWidth
        self.jointWidth = jointWidth
        self.projectionActivation = projectionActivation
        self.contextLength = contextLength
    }

    /// The CLAP-level fields of laion_clap's model configuration.
    private struct ModelFields: Decodable {
        struct TextFields: Decodable {
            var contextLength: Int?
            var modelType: String?
            enum CodingKeys: String, CodingKey { case contextLength = "context_length", modelType = "model_type" }
        }
        var embedDimension: Int
        var jointEmbedShape: Int?
        var mlpActivation: String?
        var text: TextFields?
        enum CodingKeys: String, CodingKey {
            case embedDimension = "embed_dim", jointEmbedShape = "joint_embed_shape", mlpActivation = "mlp_act", text = "text_cfg"
        }
    }

    /// Reads `config.json` and `text_config.json` from a CLAP folder and validates them together.
    public init(directory: URL) throws {
        let modelURL = directory.appendingPathComponent(Self.modelConfigurationFileName)
        let textURL = directory.appendingPathComponent(Self.textConfigurationFileName)
        let audio = try HTSATConfiguration(contentsOf: modelURL)
        let fields: ModelFields
        do {
            fields = try JSONDecoder().decode(ModelFields.self, from: Data(contentsOf: modelURL))
        } catch {
            throw EncoderError.unsupportedConfiguration(model: "CLAP", path: modelURL.path, reason: String(describing: error))
        }
        guard FileManager.default.fileExists(atPath: textURL.path) else {
            throw EncoderError.unreadableConfiguration(
                model: "CLAP", path: textURL.path,
                reason: "the folder has no \(Self.textConfigurationFileName); copy roberta-base's config.json from the Hugging Face repository there")
        }
        let text = try BertConfiguration(contentsOf: textURL)
        guard case .afterPadding = text.positionNumbering else {
            throw EncoderError.unsupportedConfiguration(model: "CLAP", path: textURL.path, reason: "the text tower must be a RoBERTa (model_type \"roberta\"); laion_clap's BERT and BART towers are not ported")
        }
        if let type = fields.text?.modelType, type != "roberta" {
            throw EncoderError.unsupportedConfiguration(model: "CLAP", path: modelURL.path, reason: "text_cfg.model_type \"\(type)\" is not \"roberta\"")
        }
        guard let activation = EncoderActivation(rawValue: fields.mlpActivation ?? "relu"), [.relu, .gelu].contains(activation) else {
            throw EncoderError.unsupportedConfiguration(model: "CLAP", path: modelURL.path, reason: "mlp_act \"\(fields.mlpActivation ?? "")\" is not relu or gelu")
        }
        self.init(
            audio: audio, text: text, audioWidth: fields.embedDimension, jointWidth: fields.jointEmbedShape ?? 512,
            projectionActivation: activation, contextLength: fields.text?.contextLength ?? 77)
        try validate(path: modelURL.path)
    }

    /// Throws when the two towers and the projections cannot fit together.
    public func validate(path: String) throws(EncoderError) {
        guard audioWidth == audio.featureCount else {
            throw .unsupportedConfiguration(model: "CLAP", path: path, reason: "embed_dim \(audioWidth) differs from the HTS-AT body's \(audio.featureCount) output channels")
        }
        guard jointWidth > 0 else { throw .unsupportedConfiguration(model: "CLAP", path: path, reason: "joint_embed_shape must be positive") }
        guard contextLength >= 3 else {
            throw .unsupportedConfiguration(model: "CLAP", path: path, reason: "text_cfg.context_length \(contextLength) leaves no room between <s> and </s>")
        }
    }

    /// Tokens per text the tokenizer keeps: the context length, within the text tower's position table.
    public var textLength: Int { min(contextLength, text.longestSentence) }
}
