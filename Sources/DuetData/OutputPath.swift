import Foundation

/// The checks every command runs on an output path before it starts work, so that a long job
/// never fails at its last step and never replaces something the user still needs.
///
/// - the path must not be a folder, and its folder must exist and be writable;
/// - it must not be one of the command's inputs (after resolving `..` and symbolic links);
/// - an existing file is replaced only with `force` (the command's `--force`).
///
/// `companions` are further files the command writes beside the path (e.g. a report's `.json`);
/// they get the same checks.
public enum OutputPath {
    public static func check(
        _ path: String, option: String, inputs: [String] = [], companions: [URL] = [], replacingExisting force: Bool = true
    ) throws {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw OutputPathError.isFolder(option: option, path: path)
        }
        let targets = [url] + companions.map(\.standardizedFileURL)
        for input in inputs {
            let inputURL = URL(fileURLWithPath: input).standardizedFileURL.resolvingSymlinksInPath()
            for target in targets where target.resolvingSymlinksInPath() == inputURL {
                throw OutputPathError.overwritesInput(option: option, path: path, target: target.lastPathComponent, input: input)
            }
        }
        if !force {
            for target in targets where manager.fileExists(atPath: target.path) {
                throw OutputPathError.exists(option: option, path: target.path)
            }
        }
        let folder = url.deletingLastPathComponent().path
        guard manager.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw OutputPathError.missingFolder(option: option, path: path, folder: folder)
        }
        guard manager.isWritableFile(atPath: folder) else {
            throw OutputPathError.unwritableFolder(option: option, path: path, folder: folder)
        }
    }
}

/// An output path refused before any work (see `OutputPath.check`).
public enum OutputPathError: Error, LocalizedError, Equatable {
    case isFolder(option: String, path: String)
    case overwritesInput(option: String, path: String, target: String, input: String)
    case exists(option: String, path: String)
    case missingFolder(option: String, path: String, folder: String)
    case unwritableFolder(option: String, path: String, folder: String)

    public var errorDescription: String? {
        switch self {
        case .isFolder(let option, let path):
            "\(option) \(path) is a folder; give a file name"
        case .overwritesInput(let option, let path, let target, let input):
            "\(option) \(path) would overwrite the input \(input) (it writes \(target)); choose another path"
        case .exists(let option, let path):
            "\(path) exists; pass --force to replace it, or choose another \(option)"
        case .missingFolder(let option, let path, let folder):
            "\(option) \(path): the folder \(folder) does not exist"
        case .unwritableFolder(let option, let path, let folder):
            "\(option) \(path): the folder \(folder) is not writable"
        }
    }
}
