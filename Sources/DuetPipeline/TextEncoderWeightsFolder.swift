import DuetEncoders
import DuetFeatures
import DuetModel
import DuetText
import Foundation

/// A user's weights folder for one of the paper's text towers (CLIP-T, RoBERTa, T5, mT5), in the layout
/// `transformers`' `save_pretrained` writes: `config.json`, `model.safetensors` and the tokenizer's files.
/// Duet never downloads these; `Docs/text-tower.md` lists what to bring for each kind.
///
/// The folder's fingerprint is the project's `ContentHash` (64-bit FNV-1a, the feature cache's hash) over
/// every file the encoder reads, each with its name and size, in a fixed order: any change of weights,
/// configuration or tokenizer changes it. It costs one pass over the files (about a second per 500 MB).
public struct TextEncoderWeightsFolder: Sendable {
    public let kind: TextEncoderKind
    public let url: URL

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
        let url = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw TextEncoderWeightsError.missingFolder(path: url.path, setting: setting, kind: kind)
        }
        for names in Self.files(of: kind)
        where !names.contains(where: { FileManager.default.fileExists(atPath: url.appendingPathComponent($0).path) }) {
            throw TextEncoderWeightsError.missingFile(folder: url.path, names: names, setting: setting, kind: kind)
        }
        self.kind = kind
        self.url = url
    }

    /// The files the encoder reads, in fingerprint order.
    public var usedFiles: [URL] {
        Self.files(of: kind).compactMap { names in
            names.lazy.map { url.appendingPathComponent($0) }.first { FileManager.default.fileExists(atPath: $0.path) }
        }
    }

    /// The fingerprint of the used files, 16 hexadecimal digits.
    public func fingerprint() throws -> String {
        try Self.fingerprint(of: usedFiles)
    }

    /// The fingerprint of `files` in their order: each file's name, size and bytes, 16 hexadecimal digits.
    public static func fingerprint(of files: [URL]) throws -> String {
        var hash = ContentHash()
        for file in files {
            let data: Data
            do { data = try Data(contentsOf: file, options: .alwaysMapped) } catch {
                throw TextEncoderWeightsError.unreadableFile(path: file.path, reason: error.localizedDescription)
            }
            hash.combine(file.lastPathComponent)
            hash.combine(UInt64(data.count))
            data.withUnsafeBytes { hash.combine($0) }
        }
        return hash.description
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
