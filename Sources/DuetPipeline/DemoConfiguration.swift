import DuetTraining
import Foundation

extension TrainingConfiguration {
    /// The demo's training configuration, shipped inside the binary's resources so that `duet demo`
    /// works from any folder (`Configs/demo.json` in the checkout is the same file, for reading and copying).
    public static func bundledDemo() throws -> TrainingConfiguration {
        guard let url = Bundle.module.url(forResource: "demo", withExtension: "json", subdirectory: "Resources") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "DuetPipeline resources/demo.json",
                NSLocalizedDescriptionKey: "the demo configuration is missing from Duet's resources; rebuild with `make build`"])
        }
        return try load(from: url)
    }
}
