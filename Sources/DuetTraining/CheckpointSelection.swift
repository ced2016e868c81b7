/// Which validation number picks the best checkpoint and drives early stopping.
///
/// The paper stops on the validation loss (`validLoss`, the default). The loss and retrieval can
/// disagree: with multilingual-e5's text states the validation InfoNCE often bottoms out epochs
/// before validation R@10 stops rising, so `validRecall` keeps the checkpoint with the highest
/// text-to-music R@10 on the validation split instead (ties go to the lower loss). Both read the
/// validation split only; the test split never takes part in the choice.
public enum CheckpointSelection: String, Codable, Sendable, CaseIterable {
    case validLoss
    case validRecall

    /// Whether an epoch with `loss` and `recall` beats the best so far.
    public func improves(loss: Double, recall: Double, bestLoss: Double, bestRecall: Double) -> Bool {
        switch self {
        case .validLoss: loss < bestLoss
        case .validRecall: recall > bestRecall || (recall == bestRecall && loss < bestLoss)
        }
    }
}
