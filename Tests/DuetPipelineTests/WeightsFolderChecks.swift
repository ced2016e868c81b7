import DuetPipeline
import Foundation

/// What the folder-encoder tests (text towers, MERT, HTS-AT) do to a weights folder and expect of the errors.
enum WeightsFolderChecks {
    /// Other weights under the same name: one setting of the folder's `config.json` changed.
    static func setConfiguration(_ key: String, to value: Any, in folder: URL) throws {
        let url = folder.appendingPathComponent("config.json")
        guard var settings = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url.path])
        }
        settings[key] = value
        try JSONSerialization.data(withJSONObject: settings, options: [.sortedKeys]).write(to: url)
    }

    /// Whether `error` refuses `folder` (named by the command-line option) for `kind`, giving the recorded
    /// fingerprint and another found one.
    static func refusesChangedWeights<Folder: EncoderWeightsFolder>(
        _ error: any Error, _: Folder.Type, kind: Folder.Kind, folder: URL, recorded: String?
    ) -> Bool {
        guard case .changedWeights(let path, let setting, let refused, let expected, let found)? = error as? EncoderWeightsError<Folder> else {
            return false
        }
        return path == folder.standardizedFileURL.path && setting == Folder.option && refused == kind && expected != found
            && expected == recorded
    }

    /// Whether `error`'s message names the missing `file`, the folder and the configuration key.
    static func namesMissingFile<Folder: EncoderWeightsFolder>(_ error: any Error, _: Folder.Type, file: String, folder: URL) -> Bool {
        let message = (error as? LocalizedError)?.errorDescription ?? ""
        return message.contains(file) && message.contains(folder.standardizedFileURL.path) && message.contains(Folder.setting)
    }
}
