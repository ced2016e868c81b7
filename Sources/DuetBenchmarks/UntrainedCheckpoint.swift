import DuetModel
import Foundation

/// A seeded, untrained DuET-MC checkpoint for the benchmarks of `duet index` and `duet serve`, which time
/// speed, not quality: the default configuration (the demo's: musicnn features, MiniLM queries, 256-d
/// embeddings) has the same layers and shapes as a trained model, so it costs the same per track and per
/// query. `fromScratch` gives the log-mel CNN instead of musicnn (no musicnn weights needed to index).
public enum UntrainedCheckpoint {
    /// Writes the checkpoint folder (`model.safetensors` and its description) and returns it.
    public static func write(to folder: URL, fromScratch: Bool, seed: UInt64 = 0) throws -> URL {
        let configuration = fromScratch ? ModelConfiguration.fromScratch : ModelConfiguration()
        let model = MusicTextModel(configuration: configuration, seed: seed)
        try ModelCheckpoint.write(model, details: ModelCheckpoint.Ignored?.none, to: folder)
        return folder
    }
}
