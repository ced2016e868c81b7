import DuetEncoders
import DuetModel
import DuetText
import Foundation

/// A user's weights folder for one of the paper's text towers (CLIP-T, RoBERTa, T5, mT5), in the layout
/// `transformers`' `save_pretrained` writes: `config.json`, `model.safetensors` and the tokenizer's files.
/// Duet never downloads these; `Docs/text-tower.md` lists what to bring for each kind. The check and the
/// fingerprint are ``WeightsFolderFiles``'.
public struct TextEncoderWeightsFolder: EncoderWeightsFolder {
    public static let tower = "text"
    public static let setting = "textEncoderWeights"
    public static let option = "--text-encoder-weights"
    public static let documentation = "Docs/text-tower.md"

    public let kind: TextEncoderKind
    public var url: URL { files.url }
    let files: WeightsFolderFiles

    /// The files `kind` reads, in fingerprint order; each entry lists accepted names, the first present is used.
    public static func files(of kind: TextEncoderKind) -> [[String]] {
        switch kind {
        case .miniLM, .e5Small: []
        case .clipText: [["config.json"], ["model.safetensors"], ["merges.txt", ClipTokenizer.vocabularyFileName]]
        case .roberta: [["config.json"], ["model.safetensors"], ["vocab.json"], ["merges.txt"]]
        case .t5, .mt5: [["config.json"], ["model.safetensors"], ["spiece.model"]]
        }
    }

    /// The files `kind` needs, in words, for error messages.
    public static func describeFiles(of kind: TextEncoderKind) -> String {
        var names = files(of: kind).map { $0.joined(separator: " or ") }
        if kind == .clipText { names[names.count - 1] = "merges.txt (with vocab.json, checked when present) or \(ClipTokenizer.vocabularyFileName)" }
        return names.joined(separator: ", ")
    }

    /// Checks that `path` is a folder holding every file `kind` reads.
    /// - Parameter setting: where the path came from, for messages (`textEncoderWeights`, `--text-encoder-weights`).
    /// - Throws: `TextEncoderWeightsError.missingFolder` or `.missingFile`, naming the path and the setting.
    public init(kind: TextEncoderKind, path: String, setting: String) throws {
        self.kind = kind
        do throws(WeightsFolderFiles.Problem) { files = try WeightsFolderFiles(path: path, required: Self.files(of: kind)) } catch {
            throw TextEncoderWeightsError(error, setting: setting, kind: kind)
        }
    }

    /// The files the encoder reads, in fingerprint order.
    public var usedFiles: [URL] { files.usedFiles }

    /// The fingerprint of the used files, 16 hexadecimal digits.
    public func fingerprint() throws -> String {
        do throws(WeightsFolderFiles.Problem) { return try files.fingerprint() } catch { throw TextEncoderWeightsError(error, setting: "", kind: kind) }
    }

    /// The tower: tokenizer and network from the folder.
    public func loadEncoder() throws -> TokenStateEncoder {
        switch kind {
        case .clipText: try TokenStateEncoder.clipText(directory: url)
        case .roberta: try TokenStateEncoder.roberta(directory: url)
        case .t5, .mt5: try TokenStateEncoder.t5(directory: url)
        case .miniLM, .e5Small: throw TextEncoderWeightsError.folderRequired(kind: kind)
        }
    }
}
