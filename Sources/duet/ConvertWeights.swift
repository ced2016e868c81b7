import ArgumentParser
import DuetWeights
import Foundation

/// `duet convert-weights SRC -o DIR`: a PyTorch checkpoint to `DIR/model.safetensors`, safely.
struct ConvertWeights: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert-weights",
        abstract: "Convert a PyTorch checkpoint (pytorch_model.bin, *.pt, *.ckpt) to DIR/model.safetensors.",
        discussion: """
            The checkpoint is read without running any of its code: only dictionaries of tensors are accepted, and a \
            pickle that names anything else (a class, a function) is refused with that name. Floating-point tensors \
            are written as float32 (float16 and bfloat16 exactly, float64 rounded), int64 and int32 tensors keep their \
            type, narrower integers and booleans become int32; tied weights are written once per name. config.json and \
            tokenizer files beside SRC are copied into DIR. Checkpoints from before torch 1.6 are refused: re-save them \
            with a current torch. See Docs/weights.md.
            """)

    @Argument(help: "The checkpoint file, or a folder holding pytorch_model.bin.") var source: String
    @Option(name: [.customShort("o"), .customLong("output")], help: "Output folder (created if needed).") var output: String
    @Option(help: "The dictionary of tensors inside the checkpoint, as keys separated by / (e.g. state_dict, model/encoder).")
    var key: String?
    @Option(name: .customLong("strip-prefix"), help: "Remove this prefix from tensor names (repeatable, e.g. module.).")
    var stripPrefixes: [String] = []
    @Flag(help: "Print the summary as JSON.") var json = false

    func run() throws {
        let summary: CheckpointConversion.Summary
        do {
            summary = try CheckpointConversion.convert(
                source: URL(fileURLWithPath: source), outputFolder: URL(fileURLWithPath: output, isDirectory: true), key: key,
                stripPrefixes: stripPrefixes)
        } catch {
            FileHandle.standardError.write(Data("convert-weights: error: \(error.localizedDescription)\n".utf8))
            throw ExitCode(1)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
            return
        }
        print("wrote \(summary.output)")
        print("  from \(summary.source)\(summary.key.isEmpty ? "" : " (dictionary '\(summary.key)')")")
        print("  \(summary.tensorCount) tensors, \(summary.parameterCount) values")
        let written = summary.writtenTypes.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        print("  written: \(written)")
        if !summary.conversions.isEmpty {
            print("  converted: " + summary.conversions.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
        }
        if summary.sharedStorageTensors > 0 {
            print("  \(summary.sharedStorageTensors) tensors share storage with another (tied weights), each written as its own copy")
        }
        if summary.strippedCount > 0 { print("  prefix stripped from \(summary.strippedCount) names") }
        if !summary.skipped.isEmpty {
            print("  skipped \(summary.skipped.count) entries that are not tensors: \(summary.skipped.prefix(8).joined(separator: ", "))\(summary.skipped.count > 8 ? ", …" : "")")
        }
        if !summary.copiedFiles.isEmpty { print("  copied \(summary.copiedFiles.joined(separator: ", "))") }
    }
}
