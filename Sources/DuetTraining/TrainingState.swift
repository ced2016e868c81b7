import DuetRandom
import DuetTensor

/// Everything beyond the weights and optimiser moments that a resumed run needs to continue
/// exactly as if it had never stopped. Written as `state.json` next to the last checkpoint.
struct TrainingState: Codable, Equatable {
    var configuration: TrainingConfiguration
    var epochsCompleted = 0
    var step = 0
    var bestValidLoss = Double.infinity
    /// Validation R@10 of the best epoch (-1 before the first; states written before
    /// `checkpointSelection` existed load with it unset, which only `validRecall` reads).
    var bestValidRecall: Double = -1
    var bestEpoch = 0
    var epochsWithoutImprovement = 0
    var dropoutGenerator: SeededGenerator
    var history: [EpochMetrics] = []
    var stopReason: String?

    enum CodingKeys: String, CodingKey {
        case configuration, epochsCompleted, step, bestValidLoss, bestValidRecall, bestEpoch, epochsWithoutImprovement,
             dropoutGenerator, history, stopReason
    }

    init(configuration: TrainingConfiguration, dropoutGenerator: SeededGenerator) {
        self.configuration = configuration
        self.dropoutGenerator = dropoutGenerator
    }

    // JSON has no infinity: an unset best loss is stored as null.
    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        configuration = try container.decode(TrainingConfiguration.self, forKey: .configuration)
        epochsCompleted = try container.decode(Int.self, forKey: .epochsCompleted)
        step = try container.decode(Int.self, forKey: .step)
        bestValidLoss = try container.decodeIfPresent(Double.self, forKey: .bestValidLoss) ?? .infinity
        bestValidRecall = try container.decodeIfPresent(Double.self, forKey: .bestValidRecall) ?? -1
        bestEpoch = try container.decode(Int.self, forKey: .bestEpoch)
        epochsWithoutImprovement = try container.decode(Int.self, forKey: .epochsWithoutImprovement)
        dropoutGenerator = try container.decode(SeededGenerator.self, forKey: .dropoutGenerator)
        history = try container.decode([EpochMetrics].self, forKey: .history)
        stopReason = try container.decodeIfPresent(String.self, forKey: .stopReason)
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(configuration, forKey: .configuration)
        try container.encode(epochsCompleted, forKey: .epochsCompleted)
        try container.encode(step, forKey: .step)
        try container.encode(bestValidLoss.isFinite ? bestValidLoss : nil, forKey: .bestValidLoss)
        try container.encode(bestValidRecall, forKey: .bestValidRecall)
        try container.encode(bestEpoch, forKey: .bestEpoch)
        try container.encode(epochsWithoutImprovement, forKey: .epochsWithoutImprovement)
        try container.encode(dropoutGenerator, forKey: .dropoutGenerator)
        try container.encode(history, forKey: .history)
        try container.encodeIfPresent(stopReason, forKey: .stopReason)
    }
}
