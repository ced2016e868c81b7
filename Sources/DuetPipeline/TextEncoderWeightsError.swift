import DuetModel
import Foundation

/// A text encoder's weights folder that cannot be used, each message naming the folder or file and the
/// setting that chose it (`textEncoderWeights` in a configuration or checkpoint, or `--text-encoder-weights`).
public enum TextEncoderWeightsError: LocalizedError, Equatable {
    /// A kind that reads a folder, with none named.
    case folderRequired(kind: TextEncoderKind)
    /// The named folder does not exist (or is not a folder).
    case missingFolder(path: String, setting: String, kind: TextEncoderKind)
    /// A file the kind needs is not in the folder; `names` lists the accepted names.
    case missingFile(folder: String, names: [String], setting: String, kind: TextEncoderKind)
    /// The folder's files differ from those the model was trained with.
    case changedWeights(folder: String, setting: String, kind: TextEncoderKind, recorded: String, found: String)
    /// A file could not be read while fingerprinting.
    case unreadableFile(path: String, reason: String)
    /// MiniLM and e5-small give sentence embeddings; the folder towers give token states only.
    case noSentenceEmbedding(kind: TextEncoderKind)

    public var errorDescription: String? {
        switch self {
        case let .folderRequired(kind):
            "the \(kind.rawValue) text encoder reads its weights from a folder, and none is named: set \"textEncoderWeights\" in the training configuration or pass --text-encoder-weights DIR (Docs/text-tower.md lists the files)"
        case let .missingFolder(path, setting, kind):
            "the \(kind.rawValue) text encoder's weights folder \(path) (from \(setting)) does not exist; Duet does not download weights: put the checkpoint folder there or point \(setting) at it (Docs/text-tower.md)"
        case let .missingFile(folder, names, setting, kind):
            "the \(kind.rawValue) text encoder's weights folder \(folder) (from \(setting)) has no \(names.joined(separator: " or ")); it needs \(TextEncoderWeightsFolder.describeFiles(of: kind)) (Docs/text-tower.md)"
        case let .changedWeights(folder, setting, kind, recorded, found):
            "the \(kind.rawValue) text encoder's weights in \(folder) (from \(setting)) are not the ones the model was trained with: their fingerprint is \(found), the model recorded \(recorded); point --text-encoder-weights at the original folder"
        case let .unreadableFile(path, reason):
            "cannot read the text encoder file \(path): \(reason)"
        case let .noSentenceEmbedding(kind):
            "\(kind.rawValue) gives DuET-MC token states, not sentence embeddings; use minilm or e5-small here"
        }
    }
}

extension TextEncoderWeightsError {
    /// The text tower's error for a folder problem found while checking or fingerprinting it.
    init(_ problem: WeightsFolderFiles.Problem, setting: String, kind: TextEncoderKind) {
        switch problem {
        case .missingFolder(let path): self = .missingFolder(path: path, setting: setting, kind: kind)
        case let .missingFile(folder, names): self = .missingFile(folder: folder, names: names, setting: setting, kind: kind)
        case let .unreadableFile(path, reason): self = .unreadableFile(path: path, reason: reason)
        }
    }
}
