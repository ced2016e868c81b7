import ArgumentParser
import DuetPipeline
import Foundation

/// `--text-encoder-weights DIR`, shared by the commands that load a trained model (`search`, `eval`,
/// `embed-text`): read a CLIP-T, RoBERTa, T5 or mT5 text tower from DIR instead of the folder the checkpoint
/// recorded (moved or on another machine). The files' fingerprint must still be the recorded one.
struct TextEncoderWeightsOption: ParsableArguments {
    @Option(
        name: .customLong("text-encoder-weights"),
        help: ArgumentHelp(
            "Folder of the model's text encoder (clip-text, roberta, t5, mt5) in the transformers layout, instead of the one the checkpoint recorded.",
            valueName: "DIR"))
    var path: String?

    func validate() throws {
        if let path {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("--text-encoder-weights \(path): no folder there")
            }
        }
    }

    /// The folder as a URL, when given.
    var url: URL? { path.map { URL(fileURLWithPath: $0, isDirectory: true) } }

    /// Encoders that read folder text towers from `--text-encoder-weights` when given.
    func encoders() -> Encoders { Encoders(textEncoderWeightsOverride: url) }
}
