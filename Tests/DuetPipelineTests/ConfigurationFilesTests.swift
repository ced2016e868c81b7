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
            var recipe = configuration
            recipe.textEncoder = .miniLM
            recipe.textEncoderWeights = nil
            #expect(recipe == quality, "paper-\(kind).json trains as quality.json does")
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
            var recipe = configuration
            recipe.audioEncoder = .musicnn
            recipe.audioEncoderWeights = nil
            #expect(recipe == clipText, "paper-\(kind)-clip-text.json trains as paper-clip-text.json does")
        }
    }

    @Test func theBuiltInDemoConfigurationIsConfigsDemoJSON() throws {
        let bundled = try TrainingConfiguration.bundledDemo()
        let file = try TrainingConfiguration.load(from: Self.configs.appendingPathComponent("demo.json"))
        #expect(bundled == file, "Sources/DuetPipeline/Resources/demo.json and Configs/demo.json differ; copy one over the other")
    }
}
