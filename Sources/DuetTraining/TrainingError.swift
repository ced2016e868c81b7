import Foundation

/// Why training stopped early or could not start.
public enum TrainingError: LocalizedError, Equatable {
    case nonFiniteLoss(epoch: Int, step: Int, lastGoodCheckpoint: String?)
    case notEnoughData(split: String, count: Int, needed: Int)
    case missingFeatures(what: String)
    case incompatibleResume(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .nonFiniteLoss(let epoch, let step, let checkpoint):
            "the loss became NaN or infinite at epoch \(epoch), step \(step); training stopped. "
                + (checkpoint.map { "The last good checkpoint is kept at \($0)." } ?? "No checkpoint had been written yet.")
                + " Try a lower peakLearningRate or set gradientClipNorm."
        case .notEnoughData(let split, let count, let needed):
            "the \(split) split has \(count) items; at least \(needed) are needed"
        case .missingFeatures(let what):
            "no cached features for \(what); compute features before training"
        case .incompatibleResume(let path, let reason):
            "cannot resume from \(path): \(reason)"
        }
    }
}
