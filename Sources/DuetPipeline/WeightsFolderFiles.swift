import DuetFeatures
import Foundation

/// A folder of encoder weights a user brings, checked to hold the files the encoder reads, and its
/// fingerprint: the one implementation behind ``TextEncoderWeightsFolder`` and ``AudioEncoderWeightsFolder``,
/// each of which turns a ``Problem`` into its own error naming the setting.
///
/// The fingerprint is the project's `ContentHash` (64-bit FNV-1a, the feature cache's hash) over every file
/// the encoder reads, each with its name and size, in a fixed order: any change of weights, configuration or
/// tokenizer changes it. It costs one pass over the files (about a second per 500 MB).
struct WeightsFolderFiles: Sendable {
    /// Why a folder cannot be used.
    enum Problem: Error {
        case missingFolder(path: String)
        /// None of `names` (the accepted names of one required file) is in the folder.
        case missingFile(folder: String, names: [String])
        case unreadableFile(path: String, reason: String)
    }

    let url: URL
    /// Per file the encoder reads, the accepted names (the first present is used); required ones first.
    let required: [[String]]
    /// Files read when present (MERT's `preprocessor_config.json`), fingerprinted after the required ones.
    let optional: [String]

    /// Checks that `path` is a folder holding every required file.
    init(path: String, required: [[String]], optional: [String] = []) throws(Problem) {
        let url = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw .missingFolder(path: url.path)
        }
        for names in required
        where !names.contains(where: { FileManager.default.fileExists(atPath: url.appendingPathComponent($0).path) }) {
            throw .missingFile(folder: url.path, names: names)
        }
        self.url = url
        self.required = required
        self.optional = optional
    }

    /// The files the encoder reads, in fingerprint order.
    var usedFiles: [URL] {
        (required + optional.map { [$0] }).compactMap { names in
            names.lazy.map { url.appendingPathComponent($0) }.first { FileManager.default.fileExists(atPath: $0.path) }
        }
    }

    /// The fingerprint of the used files, 16 hexadecimal digits.
    func fingerprint() throws(Problem) -> String {
        var hash = ContentHash()
        for file in usedFiles {
            let data: Data
            do { data = try Data(contentsOf: file, options: .alwaysMapped) } catch {
                throw .unreadableFile(path: file.path, reason: error.localizedDescription)
            }
            hash.combine(file.lastPathComponent)
            hash.combine(UInt64(data.count))
            data.withUnsafeBytes { hash.combine($0) }
        }
        return hash.description
    }
}
