import ArgumentParser
import DuetSearch
import Foundation

/// `duet embed-audio FILE...`: whole-track embeddings from a trained model.
struct EmbedAudio: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed-audio",
        abstract: "Print the trained model's whole-track audio embedding (L2-normalised) of each file.",
        discussion: """
        Evenly spaced segments of \(Int(SearchModel.segmentSeconds)) s (at most --segments), each through the locked \
        encoder and the audio branch, normalised, averaged and normalised again. See Docs/search.md.
        """)

    @Argument(help: "Audio files (WAV, FLAC, OGG, Opus, MP3).") var files: [String]
    @Option(name: .customLong("model"), help: "Trained checkpoint folder (RUN/best).") var modelPath = "runs/demo/best"
    @Option(help: "Segments per track (\(SearchModel.segmentCountRange.lowerBound)-\(SearchModel.segmentCountRange.upperBound)).")
    var segments = SearchModel.defaultSegmentCount
    @Flag(help: "Print JSON (one object per file, in an array).") var json = false
    @OptionGroup var encoderWeights: EncoderWeightsOptions

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one audio file") }
        guard SearchModel.segmentCountRange.contains(segments) else {
            throw ValidationError("--segments must be between \(SearchModel.segmentCountRange.lowerBound) and \(SearchModel.segmentCountRange.upperBound), got \(segments)")
        }
    }

    func run() throws {
        let model = try SearchModel(
            checkpoint: URL(fileURLWithPath: modelPath, isDirectory: true), segmentCount: segments, encoders: encoderWeights.encoders())
        var rows: [[String: Any]] = []
        var failed = 0
        for file in files {
            do {
                let embedding = try model.embedAudio(file: URL(fileURLWithPath: file))
                if json {
                    rows.append(["file": file, "dimension": embedding.vector.count, "duration": embedding.duration,
                                 "segmentStarts": embedding.segmentStarts, "tags": embedding.tags,
                                 "embedding": embedding.vector.map(Double.init)])
                } else {
                    print(embedding.vector.map { String(format: "%.6f", $0) }.joined(separator: " "))
                }
            } catch {
                failed += 1
                FileHandle.standardError.write(Data("embed-audio: error: \(error.localizedDescription)\n".utf8))
            }
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        }
        if failed > 0 { throw ExitCode(1) }
    }
}
