import ArgumentParser
import DuetEncoders
import Foundation

/// `duet tag FILE...`: musicnn's top tags per file, averaged over its 3-s patches.
struct Tag: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Print the most likely musicnn tags of audio files (WAV, FLAC, OGG, Opus, MP3).")

    @Argument(help: "Audio files to tag.") var files: [String]
    // `.unconditional` so that `--top -3` reaches validate() and its message instead of "Missing value".
    @Option(parsing: .unconditional, help: "Tags to print per file (at least 1).") var top = 5
    @Option(help: "musicnn model: MTT_musicnn (MagnaTagATune) or MSD_musicnn (Million Song Dataset).")
    var model: MusiCNNModel = .magnaTagATune
    @Flag(help: "Print one JSON object per file (file, model, patchCount, tags; or file, model, error).") var json = false

    func validate() throws {
        guard top > 0 else { throw ValidationError("--top must be at least 1 (got \(top))") }
    }

    func run() throws {
        let network = try MusiCNN(model)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var failures = 0
        for (index, file) in files.enumerated() {
            if !json && files.count > 1 {
                FileHandle.standardError.write(Data("tag: [\(index + 1)/\(files.count)] \(file)\n".utf8))
            }
            do {
                var result = try network.tags(ofFile: URL(fileURLWithPath: file))
                result.tags = result.top(top)
                if json {
                    print(String(decoding: try encoder.encode(result), as: UTF8.self))
                } else {
                    print("\(file) (\(result.patchCount) patch\(result.patchCount == 1 ? "" : "es"), \(model.rawValue))")
                    for tag in result.tags { print(String(format: "  %-14@ %.3f", tag.name as NSString, tag.probability)) }
                }
            } catch {
                failures += 1
                FileHandle.standardError.write(Data("tag: error: \(error.localizedDescription)\n".utf8))
                if json {
                    // A script reading the JSON lines sees every file, the failed ones with their reason.
                    let failure = ["file": file, "model": model.rawValue, "error": error.localizedDescription]
                    print(String(decoding: (try? encoder.encode(failure)) ?? Data(), as: UTF8.self))
                }
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}
