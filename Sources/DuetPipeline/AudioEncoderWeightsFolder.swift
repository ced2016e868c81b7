import DuetEncoders
import DuetModel
import Foundation

/// A user's weights folder for MERT or HTS-AT:
/// - `mert`: `config.json` and `model.safetensors` as `transformers`' `save_pretrained` writes them for
///   `HubertModel` / MERT (the released `pytorch_model.bin` converted once with `duet convert-weights`), and
///   `preprocessor_config.json` when the folder has one (read and fingerprinted);
/// - `htsat`: laion_clap's model JSON saved as `config.json` and the tower's (or a whole CLAP checkpoint's)
///   weights as `model.safetensors`.
/// Duet never downloads these (Docs/encoders.md). The check and the fingerprint are ``WeightsFolderFiles``'.
public struct AudioEncoderWeightsFolder: EncoderWeightsFolder {
    public static let tower = "audio"
    public static let setting = "audioEncoderWeights"
    public static let option = "--audio-encoder-weights"
    public static let documentation = "Docs/encoders.md"

    public let kind: AudioEncoderKind
    public var url: URL { files.url }
    let files: WeightsFolderFiles

    /// The files `kind` needs, in fingerprint order.
    public static func requiredFiles(of kind: AudioEncoderKind) -> [String] {
        switch kind {
        case .musicnn, .scratch: []
        case .mert, .htsat: ["config.json", "model.safetensors"]
        }
    }

    /// The files `kind` reads when present, fingerprinted after the required ones.
    public static func optionalFiles(of kind: AudioEncoderKind) -> [String] {
        kind == .mert ? ["preprocessor_config.json"] : []
    }

    /// The files `kind` needs, in words, for error messages.
    public static func describeFiles(of kind: AudioEncoderKind) -> String {
        (requiredFiles(of: kind) + optionalFiles(of: kind).map { "\($0) when the checkpoint has one" }).joined(separator: ", ")
    }

    /// Checks that `path` is a folder holding every file `kind` needs.
    /// - Parameter setting: where the path came from, for messages (`audioEncoderWeights`, `--audio-encoder-weights`).
    /// - Throws: `AudioEncoderWeightsError.missingFolder` or `.missingFile`, naming the path and the setting.
    public init(kind: AudioEncoderKind, path: String, setting: String) throws {
        guard kind.readsWeightsFolder else { throw AudioEncoderWeightsError.readsNoFolder(kind: kind) }
        self.kind = kind
        do throws(WeightsFolderFiles.Problem) {
            files = try WeightsFolderFiles(
                path: path, required: Self.requiredFiles(of: kind).map { [$0] }, optional: Self.optionalFiles(of: kind))
        } catch {
            throw AudioEncoderWeightsError(error, setting: setting, kind: kind)
        }
    }

    /// The files the encoder reads, in fingerprint order.
    public var usedFiles: [URL] { files.usedFiles }

    /// The fingerprint of the used files, 16 hexadecimal digits.
    public func fingerprint() throws -> String {
        do throws(WeightsFolderFiles.Problem) { return try files.fingerprint() } catch {
            throw AudioEncoderWeightsError(error, setting: "", kind: kind)
        }
    }

    /// The layer widths the encoder gives, from `config.json` alone (no weights read): MERT's hidden size
    /// once per hidden state, HTS-AT's stage widths (``LayerStateAudioEncoder/layerWidths``).
    public func layerWidths() throws -> [Int] {
        let configurationURL = url.appendingPathComponent("config.json")
        switch kind {
        case .mert:
            let configuration = try MertConfiguration(contentsOf: configurationURL)
            return Array(repeating: configuration.hiddenSize, count: configuration.stateCount)
        case .htsat:
            let configuration = try HTSATConfiguration(contentsOf: configurationURL)
            return (0..<(configuration.stageCount - 1)).map { 2 * configuration.width(ofStage: $0) } + [configuration.featureCount]
        case .musicnn, .scratch: throw AudioEncoderWeightsError.readsNoFolder(kind: kind)
        }
    }

    /// The encoder, read strictly from the folder.
    public func loadEncoder() throws -> any LayerStateAudioEncoder {
        switch kind {
        case .mert: try MertModel(directory: url)
        case .htsat:
            try HTSATModel(
                configurationFile: url.appendingPathComponent("config.json"), weightsFile: url.appendingPathComponent("model.safetensors"))
        case .musicnn, .scratch: throw AudioEncoderWeightsError.readsNoFolder(kind: kind)
        }
    }
}

extension AudioEncoderSelection {
    /// Loads MERT or HTS-AT from the selection's weights folder (which `Encoders.resolve` has checked and
    /// fingerprinted).
    /// - Throws: `AudioEncoderWeightsError.folderRequired` when no folder is named, or the folder's and the
    ///   network's loading errors.
    public func loadEncoder() throws -> any LayerStateAudioEncoder {
        guard let weightsFolder else { throw AudioEncoderWeightsError.folderRequired(kind: kind) }
        return try AudioEncoderWeightsFolder(kind: kind, path: weightsFolder, setting: "audioEncoderWeights").loadEncoder()
    }
}
