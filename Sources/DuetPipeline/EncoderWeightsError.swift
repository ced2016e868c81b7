import DuetModel
import Foundation

/// An encoder's weights folder that cannot be used, each message naming the folder or file and the setting
/// that chose it (the configuration's or checkpoint's key, or the command-line option).
public enum EncoderWeightsError<Folder: EncoderWeightsFolder>: LocalizedError, Equatable {
    /// A kind that reads a folder, with none named.
    case folderRequired(kind: Folder.Kind)
    /// A folder named for a kind that reads none (it comes from the model cache, or needs no weights).
    case readsNoFolder(kind: Folder.Kind)
    /// The named folder does not exist (or is not a folder).
    case missingFolder(path: String, setting: String, kind: Folder.Kind)
    /// A file the kind needs is not in the folder; `names` lists the accepted names.
    case missingFile(folder: String, names: [String], setting: String, kind: Folder.Kind)
    /// The folder's files differ from those the model was trained with.
    case changedWeights(folder: String, setting: String, kind: Folder.Kind, recorded: String, found: String)
    /// A file could not be read while fingerprinting.
    case unreadableFile(path: String, reason: String)

    public var errorDescription: String? {
        let tower = Folder.tower, documentation = Folder.documentation
        return switch self {
        case let .folderRequired(kind):
            "the \(kind.rawValue) \(tower) encoder reads its weights from a folder, and none is named: set \"\(Folder.setting)\" in the training configuration or pass \(Folder.option) DIR (\(documentation) lists the files)"
        case let .readsNoFolder(kind):
            "the \(kind.rawValue) \(tower) encoder reads no weights folder; \(Folder.setting) and \(Folder.option) apply to the encoders read from one"
        case let .missingFolder(path, setting, kind):
            "the \(kind.rawValue) \(tower) encoder's weights folder \(path) (from \(setting)) does not exist; Duet does not download weights: put the checkpoint folder there or point \(setting) at it (\(documentation))"
        case let .missingFile(folder, names, setting, kind):
            "the \(kind.rawValue) \(tower) encoder's weights folder \(folder) (from \(setting)) has no \(names.joined(separator: " or ")); it needs \(Folder.describeFiles(of: kind)) (\(documentation))"
        case let .changedWeights(folder, setting, kind, recorded, found):
            "the \(kind.rawValue) \(tower) encoder's weights in \(folder) (from \(setting)) are not the ones the model was trained with: their fingerprint is \(found), the model recorded \(recorded); point \(Folder.option) at the original folder"
        case let .unreadableFile(path, reason):
            "cannot read the \(tower) encoder file \(path): \(reason)"
        }
    }

    /// The error for a folder problem found while checking or fingerprinting it.
    init(_ problem: WeightsFolderFiles.Problem, setting: String, kind: Folder.Kind) {
        switch problem {
        case .missingFolder(let path): self = .missingFolder(path: path, setting: setting, kind: kind)
        case let .missingFile(folder, names): self = .missingFile(folder: folder, names: names, setting: setting, kind: kind)
        case let .unreadableFile(path, reason): self = .unreadableFile(path: path, reason: reason)
        }
    }
}

/// A text tower's weights folder that cannot be used (CLIP-T, RoBERTa, T5, mT5).
public typealias TextEncoderWeightsError = EncoderWeightsError<TextEncoderWeightsFolder>
/// MERT's or HTS-AT's weights folder that cannot be used.
public typealias AudioEncoderWeightsError = EncoderWeightsError<AudioEncoderWeightsFolder>
