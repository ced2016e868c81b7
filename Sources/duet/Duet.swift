import ArgumentParser

@main
struct Duet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duet",
        abstract: "Train and serve music-text embedding models (Augment, Drop & Swap) on a CPU.",
        subcommands: [
            Demo.self, Synth.self, ManifestCommand.self, ImportCommand.self, AugmentCommand.self, Train.self, Evaluate.self, ExperimentCommand.self,
            Tag.self, EmbedText.self, EmbedAudio.self, IndexCommand.self, WorkerCommand.self, SearchCommand.self, SimilarCommand.self, Serve.self,
            StudyCommand.self, ConvertWeights.self,
            EngineCheck.self, MusiCNNBenchmark.self, BenchText.self, BenchSearch.self,
        ])
}
