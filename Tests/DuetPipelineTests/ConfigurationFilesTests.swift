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

    @Test func theBuiltInDemoConfigurationIsConfigsDemoJSON() throws {
        let bundled = try TrainingConfiguration.bundledDemo()
        let file = try TrainingConfiguration.load(from: Self.configs.appendingPathComponent("demo.json"))
        #expect(bundled == file, "Sources/DuetPipeline/Resources/demo.json and Configs/demo.json differ; copy one over the other")
    }
}
