import ArgumentParser
import DuetPipeline
import Foundation

/// `--text-encoder-weights DIR` and `--audio-encoder-weights DIR`, shared by the commands that load a trained
/// model (`search`, `similar`, `eval`, `embed-text`, `embed-audio`, `index`, `serve`, `worker`): read a CLIP-T, RoBERTa, T5 or mT5
/// text tower, or a MERT or HTS-AT audio encoder, from DIR instead of the folder the checkpoint recorded (moved
/// or on another machine). The files' fingerprint must still be the recorded one.
struct EncoderWeightsOptions: ParsableArguments {
    @Option(
        name: .customLong("text-encoder-weights"),
        help: ArgumentHelp(
            "Folder of the model's text encoder (clip-text, roberta, t5, mt5) in the transformers layout, instead of the one the checkpoint recorded.",
            valueName: "DIR"))
    var textPath: String?

    @Option(
        name: .customLong("audio-encoder-weights"),
        help: ArgumentHelp(
            "Folder of the model's audio encoder (mert, htsat: config.json and model.safetensors), instead of the one the checkpoint recorded.",
            valueName: "DIR"))
    var audioPath: String?

    func validate() throws {
        for (option, path) in [("--text-encoder-weights", textPath), ("--audio-encoder-weights", audioPath)] {
            guard let path else { continue }
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("\(option) \(path): no folder there")
            }
        }
    }

    /// Encoders that read folder encoders from the folders given.
    func encoders() -> Encoders {
        Encoders(
            textEncoderWeightsOverride: textPath.map { URL(fileURLWithPath: $0, isDirectory: true) },
            audioEncoderWeightsOverride: audioPath.map { URL(fileURLWithPath: $0, isDirectory: true) })
    }
}
