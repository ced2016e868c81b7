import DuetData
import DuetModel
import DuetPipeline
import DuetTraining
import Foundation
import Testing

/// What the folder-encoder tests (text towers, MERT, HTS-AT) share: a brief training run, what they do to a weights
/// folder, and what they expect of the errors.
enum WeightsFolderChecks {
    /// Trains `configuration`'s two epochs into `runFolder`, checks every loss is finite, and returns the best checkpoint's model.
    static func trainBriefly(
        _ configuration: TrainingConfiguration, dataset: PreparedDataset, encoders: Encoders, runFolder: URL,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> MusicTextModel {
        var pipeline = TrainingPipeline(configuration: configuration, dictionary: try SwapDictionary.bundled())
        pipeline.showsProgress = false
        let outcome = try pipeline.train(dataset: dataset, encoders: encoders, runFolder: runFolder, resume: false)
        #expect(outcome.epochsCompleted == configuration.maximumEpochs, sourceLocation: sourceLocation)
        #expect(outcome.history.allSatisfy { $0.trainLoss.isFinite && $0.validLoss.isFinite }, sourceLocation: sourceLocation)
        return try ModelCheckpoint.loadModel(from: outcome.bestCheckpoint)
    }

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

    /// The refusals every folder encoder gives, in order, on `folder` (a moved copy of the folder a model was
    /// trained with, whose fingerprint is `recorded`): other weights under the same name are refused when
    /// `useOverride` reads the folder through the command-line option; a folder without `file` names it; a
    /// kind that reads a folder without one named says how to name one.
    static func expectRefusals<Folder: EncoderWeightsFolder>(
        _: Folder.Type, kind: Folder.Kind, folder: URL, recorded: String?, file: String, encoders: () -> Encoders,
        useOverride: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        try setConfiguration("layer_norm_eps", to: 1e-6, in: folder)
        #expect(sourceLocation: sourceLocation) { try useOverride() } throws: { error in
            refusesChangedWeights(error, Folder.self, kind: kind, folder: folder, recorded: recorded)
        }
        try FileManager.default.removeItem(at: folder.appendingPathComponent(file))
        #expect(sourceLocation: sourceLocation) { try resolve(EncoderSelection(kind: kind, weightsFolder: folder.path), with: encoders()) } throws: { error in
            namesMissingFile(error, Folder.self, file: file, folder: folder)
        }
        #expect(throws: EncoderWeightsError<Folder>.folderRequired(kind: kind), sourceLocation: sourceLocation) {
            try resolve(EncoderSelection(kind: kind), with: encoders())
        }
    }

    /// `Encoders.resolve` for a text or an audio selection.
    static func resolve<Kind>(_ selection: EncoderSelection<Kind>, with encoders: Encoders) throws {
        if let text = selection as? TextEncoderSelection { _ = try encoders.resolve(text) }
        if let audio = selection as? AudioEncoderSelection { _ = try encoders.resolve(audio) }
    }
}
