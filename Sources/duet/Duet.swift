import ArgumentParser

@main
struct Duet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duet",
        abstract: "Train and serve music-text embedding models (Augment, Drop & Swap) on a CPU.",
        subcommands: [EngineCheck.self, Tag.self, EmbedText.self, MusiCNNBenchmark.self, BenchText.self])
}
