import DuetTensor
import Foundation

/// Keeps the text branch's neighbourhoods those of the locked text encoder: a distillation loss
/// over the texts of a batch, added to InfoNCE with a weight (`textAnchorWeight`).
///
/// With `t = normalize(text)` `[N, D]` (the branch's embeddings) and `r = normalize(reference)`
/// `[N, R]` (the locked encoder's sentence embeddings, constants), every text's distribution over
/// the other texts of the batch under the locked encoder,
/// `P_i = softmax_{j≠i}(r_i·r_j / τ)`, is the target of the branch's own,
/// `Q_i = softmax_{j≠i}(t_i·t_j / τ)`:
/// `L = −(1/N) Σ_i Σ_{j≠i} P_ij log Q_ij`, a cross-entropy whose gradient is that of KL(P‖Q).
///
/// InfoNCE alone lets the branch map texts anywhere that separates the batch's clips; words it
/// never read then land wherever their token states happen to fall. The anchor asks it to keep
/// what the locked encoder knows: texts the encoder calls alike stay alike.
public struct TextGeometryAnchor: Sendable {
    /// `τ` of both distributions.
    public var temperature: Float

    public init(temperature: Float = 0.05) { self.temperature = temperature }

    /// `P` `[N, N]` row-major, zero on the diagonal, from constant `reference` `[N, R]`.
    public func targets(reference: Tensor) -> [Float] {
        precondition(reference.rank == 2 && reference.shape[0] >= 2, "anchor reference [N ≥ 2, R], got \(reference.shape)")
        let count = reference.shape[0]
        let similarity = Tensor.matmul(reference.l2Normalized(), reference.l2Normalized(), transposeRight: true).storage
        var targets = [Float](repeating: 0, count: count * count)
        for row in 0..<count {
            var largest = -Float.infinity
            for column in 0..<count where column != row { largest = max(largest, similarity[row * count + column] / temperature) }
            var total: Float = 0
            for column in 0..<count where column != row {
                let value = exp(similarity[row * count + column] / temperature - largest)
                targets[row * count + column] = value
                total += value
            }
            for column in 0..<count { targets[row * count + column] /= total }
        }
        return targets
    }

    /// The loss (rank 0) for branch embeddings `text` `[N, D]` and locked sentence embeddings
    /// `reference` `[N, R]` of the same texts.
    public func callAsFunction(text: Tensor, reference: Tensor) -> Tensor {
        precondition(text.rank == 2 && reference.rank == 2 && text.shape[0] == reference.shape[0] && text.shape[0] >= 2,
                     "anchor needs text [N ≥ 2, D] and reference [N, R], got \(text.shape) and \(reference.shape)")
        let count = text.shape[0]
        let normalized = text.l2Normalized()
        let logits = Tensor.matmul(normalized, normalized, transposeRight: true) * (1 / temperature)
        var offDiagonal = [Bool](repeating: true, count: count * count)
        for row in 0..<count { offDiagonal[row * count + row] = false }
        // A finite fill: the diagonal's target is 0, and 0 × log Q must stay 0 (not 0 × −∞).
        let logQ = logits.maskedFill(keep: offDiagonal, shape: [count, count], with: -1e4).logSoftmax()
        return (logQ * Tensor(targets(reference: reference), shape: [count, count])).sum() * (-1 / Float(count))
    }
}
