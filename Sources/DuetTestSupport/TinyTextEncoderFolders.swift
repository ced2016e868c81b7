import DuetModel
import DuetRandom
import DuetTensor
import DuetText
import DuetWeights
import Foundation

/// Weights folders in the `transformers` layout for the four folder text towers, built from the tiny random
/// checkpoints the parity tests use (`Tests/DuetEncodersTests/Resources/*-tiny`, 32 channels, 2 layers) and
/// the tokenizer files the tokenizer tests use (`Tests/DuetTextTests/Resources`). The tiny checkpoints have
/// 99 token rows; the tokenizers need more (CLIP 49,408, the byte-level BPE 1,860, the unigram model 2,000),
/// so the embedding tables are grown to the tokenizer's size: the 99 trained rows kept, the rest seeded normal
/// rows of the same standard deviation. Nothing here is a language model; it exercises the real loaders,
/// tokenizers and networks end to end.
public enum TinyTextEncoderFolders {
    /// `Tests/` of the checkout this file was compiled in (`Sources/DuetTestSupport/…` → root).
    public static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Tests")
    public static let encoderResources = tests.appendingPathComponent("DuetEncodersTests/Resources")
    public static let textResources = tests.appendingPathComponent("DuetTextTests/Resources")
    /// Token rows of the tiny checkpoints.
    public static let tinyVocabularySize = 99

    /// Writes the folder of `kind` into `folder` (created) and returns it.
    public static func write(_ kind: TextEncoderKind, into folder: URL) throws -> URL {
        let manager = FileManager.default
        try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        let checkpoint: String
        let vocabularySize: Int
        switch kind {
        case .clipText:
            checkpoint = "clip-text-tiny"
            let file = textResources.appendingPathComponent("clip/\(ClipTokenizer.vocabularyFileName)")
            try manager.copyItem(at: file, to: folder.appendingPathComponent(ClipTokenizer.vocabularyFileName))
            vocabularySize = try ClipTokenizer(vocabularyFile: file).model.vocabulary.count
        case .roberta:
            checkpoint = "roberta-tiny"
            let source = textResources.appendingPathComponent("byte-level-bpe")
            for name in ["vocab.json", "merges.txt"] {
                try manager.copyItem(at: source.appendingPathComponent(name), to: folder.appendingPathComponent(name))
            }
            vocabularySize = Int(try ByteLevelBPETokenizer(directory: source).model.vocabulary.values.max() ?? 0) + 1
        case .t5, .mt5:
            checkpoint = kind == .t5 ? "t5-encoder-tiny" : "mt5-encoder-tiny"
            let file = textResources.appendingPathComponent("t5-unigram/spiece.model")
            try manager.copyItem(at: file, to: folder.appendingPathComponent("spiece.model"))
            vocabularySize = try T5Tokenizer(modelFile: file).model.scores.count
        case .miniLM, .e5Small:
            throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "\(kind.rawValue) is not read from a folder"])
        }
        let source = encoderResources.appendingPathComponent(checkpoint)

        let configurationURL = source.appendingPathComponent("config.json")
        guard var configuration = try JSONSerialization.jsonObject(with: Data(contentsOf: configurationURL)) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: configurationURL.path])
        }
        configuration["vocab_size"] = vocabularySize
        try JSONSerialization.data(withJSONObject: configuration, options: [.sortedKeys, .prettyPrinted])
            .write(to: folder.appendingPathComponent("config.json"))

        let file = try SafetensorsFile(url: source.appendingPathComponent("model.safetensors"))
        var tensors: [String: Tensor] = [:]
        for name in file.names {
            let tensor = try file.tensor(named: name)
            tensors[name] = tensor.shape.count == 2 && tensor.shape[0] == tinyVocabularySize
                ? grown(tensor, rows: vocabularySize) : tensor
        }
        try Safetensors.write(tensors, to: folder.appendingPathComponent("model.safetensors"))
        return folder
    }

    /// `table` `[99, width]` grown to `[rows, width]`: its rows, then seeded normal rows of its standard
    /// deviation (the same seed for every table, so tied tables stay equal).
    static func grown(_ table: Tensor, rows: Int) -> Tensor {
        let values = table.storage
        let mean = values.reduce(0, +) / Float(values.count)
        let deviation = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(values.count)).squareRoot()
        var generator = SeededGenerator(seed: 99)
        let extra = (0..<((rows - table.shape[0]) * table.shape[1])).map { _ in generator.nextNormal() * deviation }
        return Tensor(values + extra, shape: [rows, table.shape[1]])
    }
}
