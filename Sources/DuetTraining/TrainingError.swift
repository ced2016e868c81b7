import Foundation

/// Why training stopped early or could not start.
public enum TrainingError: LocalizedError, Equatable {
    case nonFiniteLoss(epoch: Int, step: Int, lastGoodCheckpoint: String?)
    case notEnoughData(split: String, count: Int, needed: Int)
    case missingFeatures(what: String)
    case incompatibleResume(path: String, reason: String)
    case runFolderBusy(path: String)
    case runExists(path: String)

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
        case .runFolderBusy(let path):
            "another duet process is training into \(path); wait for it to finish or choose another run folder"
        case .runExists(let path):
            "\(path) already holds a training run (a best/ or last/ checkpoint); pass --resume to continue it, "
                + "--force to train afresh over it, or choose another run folder"
        }
    }
}
