import DuetNN
import DuetWeights
import Foundation

/// A trained model on disk: a folder holding `model.safetensors` (every parameter by its dotted
/// PyTorch-style name, F32) and `config.json` (the model configuration, the encoders it expects,
/// and whatever the trainer records: hyper-parameters, vocabulary, epoch). Both files are written
/// atomically, weights first, so a folder with a `config.json` always has complete weights.
public enum ModelCheckpoint {
    public static let weightsFile = "model.safetensors"
    public static let configurationFile = "config.json"

    /// What `config.json` holds. `Details` is the trainer's record (e.g. its configuration).
    public struct Description<Details: Codable & Sendable>: Codable, Sendable {
        public var format = "duet-checkpoint"
        public var formatVersion = 1
        public var model: ModelConfiguration
        public var details: Details?
        public var parameterCount: Int

        public init(model: ModelConfiguration, details: Details?, parameterCount: Int) {
            self.model = model
            self.details = details
            self.parameterCount = parameterCount
        }
    }

    /// Writes `model` and its description into `folder` (created when needed).
    public static func write<Details: Codable & Sendable>(_ model: MusicTextModel, details: Details?, to folder: URL) throws {
        try model.saveParameters(to: folder.appendingPathComponent(weightsFile),
                                 metadata: ["format": "pt", "producer": "duet"])
        let description = Description(model: model.configuration, details: details, parameterCount: model.parameterCount)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(description), to: folder.appendingPathComponent(configurationFile))
    }

    /// The checkpoint folder `path` means: the path itself, or its folder when it names one of a
    /// checkpoint's two files (`RUN/best/model.safetensors` means `RUN/best`).
    public static func folder(_ path: URL) -> URL {
        var isDirectory: ObjCBool = false
        guard [weightsFile, configurationFile].contains(path.lastPathComponent),
              FileManager.default.fileExists(atPath: path.path, isDirectory: &isDirectory), !isDirectory.boolValue
        else { return path }
        return path.deletingLastPathComponent()
    }

    /// Reads the description of the checkpoint in `folder` (or the folder of a checkpoint file).
    public static func description<Details: Codable & Sendable>(
        in folder: URL, details: Details.Type = Ignored.self
    ) throws -> Description<Details> {
        let folder = Self.folder(folder)
        let url = folder.appendingPathComponent(configurationFile)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw WeightsError.missingFile(path: url.path, hint: "Train a model first (`duet train`), or pass the folder of a checkpoint.")
        }
        do {
            let description = try JSONDecoder().decode(Description<Details>.self, from: Data(contentsOf: url))
            guard description.format == "duet-checkpoint" else {
                throw WeightsError.malformed(path: url.path, reason: "format is '\(description.format)', not 'duet-checkpoint'")
            }
            return description
        } catch let error as WeightsError {
            throw error
        } catch {
            throw WeightsError.malformed(path: url.path, reason: "\(error)")
        }
    }

    /// Loads the model in `folder` (strict: every parameter must be present with its shape).
    public static func loadModel(from folder: URL) throws -> MusicTextModel {
        let folder = Self.folder(folder)
        let description = try description(in: folder)
        let model = MusicTextModel(configuration: description.model)
        let weights = folder.appendingPathComponent(weightsFile)
        guard FileManager.default.fileExists(atPath: weights.path) else {
            throw WeightsError.missingFile(
                path: weights.path, hint: "The checkpoint \(folder.path) has its \(configurationFile) but not its weights; copy the whole folder, or train again.")
        }
        try model.loadParameters(from: weights)
        model.eval()
        return model
    }

    /// A details type that reads nothing, for callers that only need the model.
    public struct Ignored: Codable, Sendable {}
}
