import DuetPipeline
import DuetTraining
import Foundation
import Testing

@Suite("Configuration files")
struct ConfigurationFilesTests {
    static let configs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Configs")

    @Test func everyFileInConfigsLoadsAndValidates() throws {
        let files = try FileManager.default.contentsOfDirectory(at: Self.configs, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
        #expect(files.count >= 3)
        for file in files {
            do {
                try TrainingConfiguration.load(from: file).validate(path: file.lastPathComponent)
            } catch {
                Issue.record("\(file.lastPathComponent): \(error.localizedDescription)")
            }
        }
    }

    /// The paper's text-encoder systems: each names its tower and a placeholder folder under models/paper/
    /// (the user brings the weights, Docs/text-tower.md), with the quality recipe's training settings.
    @Test func thePaperConfigurationsNameTheirTowersAndWeightsFolders() throws {
        let quality = try TrainingConfiguration.load(from: Self.configs.appendingPathComponent("quality.json"))
        let folders = ["clip-text": "clip-vit-base-patch32", "roberta": "roberta-base", "t5": "flan-t5-base", "mt5": "mt5-base"]
        for (kind, folder) in folders {
            let configuration = try TrainingConfiguration.load(from: Self.configs.appendingPathComponent("paper-\(kind).json"))
            #expect(configuration.textEncoder.rawValue == kind && configuration.textEncoder.readsWeightsFolder)
            #expect(configuration.textEncoderWeights == "models/paper/\(folder)")
            Self.expect(configuration, trainsAs: quality, "paper-\(kind).json") {
                $0.textEncoder = .miniLM
                $0.textEncoderWeights = nil
            }
        }
    }

    /// The paper's audio-encoder systems with CLIP-T: MERT-v1-330M (its main system) and HTS-AT, each with a
    /// placeholder folder under models/paper/ (Docs/encoders.md), training as paper-clip-text.json does.
    @Test func thePaperAudioConfigurationsNameTheirEncodersAndWeightsFolders() throws {
        let clipText = try TrainingConfiguration.load(from: Self.configs.appendingPathComponent("paper-clip-text.json"))
        for (kind, folder) in ["mert": "MERT-v1-330M", "htsat": "HTSAT-base"] {
            let configuration = try TrainingConfiguration.load(from: Self.configs.appendingPathComponent("paper-\(kind)-clip-text.json"))
            #expect(configuration.audioEncoder.rawValue == kind && configuration.audioEncoder.readsWeightsFolder)
            #expect(configuration.audioEncoderWeights == "models/paper/\(folder)")
            Self.expect(configuration, trainsAs: clipText, "paper-\(kind)-clip-text.json") {
                $0.audioEncoder = .musicnn
                $0.audioEncoderWeights = nil
            }
        }
    }

    /// `configuration` with its encoder set back (`reset`) equals `reference`: the same recipe and training settings.
    static func expect(
        _ configuration: TrainingConfiguration, trainsAs reference: TrainingConfiguration, _ name: String,
        reset: (inout TrainingConfiguration) -> Void, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var recipe = configuration
        reset(&recipe)
        #expect(recipe == reference, "\(name) trains as its reference does", sourceLocation: sourceLocation)
    }

    @Test func theBuiltInDemoConfigurationIsConfigsDemoJSON() throws {
        let bundled = try TrainingConfiguration.bundledDemo()
        let file = try TrainingConfiguration.load(from: Self.configs.appendingPathComponent("demo.json"))
        #expect(bundled == file, "Sources/DuetPipeline/Resources/demo.json and Configs/demo.json differ; copy one over the other")
    }
}
