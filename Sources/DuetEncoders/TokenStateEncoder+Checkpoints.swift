import DuetText
import Foundation

/// The paper's text towers read from `transformers` checkpoint folders (the files each needs are listed
/// in `Docs/text-tower.md`): each pairs its tokenizer with its network, limits the tokenizer to the
/// network's positions, and refuses a tokenizer whose ids do not fit the network's embedding table.
extension TokenStateEncoder {
    /// CLIP's text tower (CLIP-T): `config.json` and `model.safetensors` (a text-only or a whole CLIP
    /// checkpoint), the tokenizer from `merges.txt` (+ `vocab.json`, checked) or open_clip's
    /// `bpe_simple_vocab_16e6.txt.gz`. Token states are the last layer's after the final layer norm.
    public static func clipText(directory: URL) throws -> TokenStateEncoder {
        let model = try ClipTextModel(directory: directory)
        let contextLength = min(77, model.configuration.maximumPositions)
        let gzip = directory.appendingPathComponent(ClipTokenizer.vocabularyFileName)
        let tokenizer = FileManager.default.fileExists(atPath: directory.appendingPathComponent("merges.txt").path)
            ? try ClipTokenizer(directory: directory, contextLength: contextLength)
            : try ClipTokenizer(vocabularyFile: gzip, contextLength: contextLength)
        try checkVocabulary(
            largest: tokenizer.model.vocabulary.values.max() ?? 0, of: "CLIP text", model: model, directory: directory)
        return TokenStateEncoder(tokenizer: tokenizer, model: model)
    }

    /// RoBERTa on ``BertModel``: `config.json`, `model.safetensors` (a `RobertaModel` or a task model such
    /// as roberta-base's `RobertaForMaskedLM`, its head dropped), `vocab.json` and `merges.txt`; texts are
    /// truncated to the position table (512 tokens for roberta-base).
    public static func roberta(directory: URL) throws -> TokenStateEncoder {
        let model = try BertModel(directory: directory)
        let tokenizer = try ByteLevelBPETokenizer(directory: directory, maximumLength: model.configuration.longestSentence)
        try checkVocabulary(
            largest: tokenizer.model.vocabulary.values.max() ?? 0, of: "RoBERTa", model: model, directory: directory)
        return TokenStateEncoder(tokenizer: tokenizer, model: model)
    }

    /// The T5 or mT5 encoder: `config.json`, `model.safetensors` (an encoder-only or an encoder-decoder
    /// checkpoint, its decoder skipped by name) and `spiece.model`; texts are truncated to 512 tokens,
    /// `</s>` included, as the `transformers` tokenizers do.
    public static func t5(directory: URL) throws -> TokenStateEncoder {
        let model = try T5EncoderModel(directory: directory, ignoringDecoder: true)
        let tokenizer = try T5Tokenizer(modelFile: directory.appendingPathComponent("spiece.model"))
        try checkVocabulary(largest: Int32(tokenizer.model.scores.count - 1), of: "T5", model: model, directory: directory)
        return TokenStateEncoder(tokenizer: tokenizer, model: model)
    }

    /// Throws when the tokenizer can produce an id past the network's embedding table (a tokenizer from
    /// another checkpoint). A table larger than the tokenizer is normal (T5 reserves 100 sentinel ids).
    static func checkVocabulary(largest: Int32, of name: String, model: any TokenStateModel, directory: URL) throws {
        guard Int(largest) < model.vocabularySize else {
            throw EncoderError.unsupportedConfiguration(
                model: name, path: directory.path,
                reason: "the tokenizer's ids reach \(largest) but the network's vocabulary has \(model.vocabularySize) rows; the tokenizer files belong to another checkpoint")
        }
    }
}
