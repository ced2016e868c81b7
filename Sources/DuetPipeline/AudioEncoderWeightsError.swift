import DuetModel
import Foundation

/// An audio encoder's weights folder that cannot be used, each message naming the folder or file and the
/// setting that chose it (`audioEncoderWeights` in a configuration or checkpoint, or `--audio-encoder-weights`).
public enum AudioEncoderWeightsError: LocalizedError, Equatable {
    /// MERT or HTS-AT with no folder named.
    case folderRequired(kind: AudioEncoderKind)
    /// A folder named for musicnn or from scratch, which read none.
    case folderNotRead(kind: AudioEncoderKind)
    /// The named folder does not exist (or is not a folder).
    case missingFolder(path: String, setting: String, kind: AudioEncoderKind)
    /// A file the kind needs is not in the folder.
    case missingFile(folder: String, name: String, setting: String, kind: AudioEncoderKind)
    /// The folder's files differ from those the model was trained with.
    case changedWeights(folder: String, setting: String, kind: AudioEncoderKind, recorded: String, found: String)
    /// A file could not be read while fingerprinting.
    case unreadableFile(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case let .folderRequired(kind):
            "the \(kind.rawValue) audio encoder reads its weights from a folder, and none is named: set \"audioEncoderWeights\" in the training configuration or pass --audio-encoder-weights DIR (Docs/encoders.md lists the files)"
        case let .folderNotRead(kind):
            "the \(kind.rawValue) audio input reads no weights folder; audioEncoderWeights and --audio-encoder-weights apply to mert and htsat"
        case let .missingFolder(path, setting, kind):
            "the \(kind.rawValue) audio encoder's weights folder \(path) (from \(setting)) does not exist; Duet does not download weights: put the folder there or point \(setting) at it (Docs/encoders.md)"
        case let .missingFile(folder, name, setting, kind):
            "the \(kind.rawValue) audio encoder's weights folder \(folder) (from \(setting)) has no \(name); it needs \(AudioEncoderWeightsFolder.requiredFiles(of: kind).joined(separator: " and ")) (Docs/encoders.md)"
        case let .changedWeights(folder, setting, kind, recorded, found):
            "the \(kind.rawValue) audio encoder's weights in \(folder) (from \(setting)) are not the ones the model was trained with: their fingerprint is \(found), the model recorded \(recorded); point --audio-encoder-weights at the original folder"
        case let .unreadableFile(path, reason):
            "cannot read the audio encoder file \(path): \(reason)"
        }
    }

    /// The audio encoder's error for a folder problem found while checking or fingerprinting it.
    init(_ problem: WeightsFolderFiles.Problem, setting: String, kind: AudioEncoderKind) {
        switch problem {
        case .missingFolder(let path): self = .missingFolder(path: path, setting: setting, kind: kind)
        case let .missingFile(folder, names): self = .missingFile(folder: folder, name: names.joined(separator: " or "), setting: setting, kind: kind)
        case let .unreadableFile(path, reason): self = .unreadableFile(path: path, reason: reason)
        }
    }
}
