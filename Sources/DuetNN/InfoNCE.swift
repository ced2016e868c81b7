import DuetTensor

/// Symmetric InfoNCE over cosine similarities (CLIP-style), the paper's training loss.
///
/// With `a = normalize(audio) [B, D]` and `t = normalize(text) [N, D]`, `N ≥ B`, where text row
/// `i < B` is the positive of audio row `i` and rows `B..<N` are extra (hard) negatives:
/// `Z = a·tᵀ / τ  [B, N]`,
/// `L = ½·(CE(Z, i) + CE(Z[:, :B]ᵀ, i))` — audio→text over all `N` texts and text→audio over
/// the `B` audio rows for each positive text (cross-entropy with mean reduction).
public struct InfoNCELoss: Sendable {
    /// `τ`; the paper uses 0.03.
    public var temperature: Float

    public init(temperature: Float = 0.03) { self.temperature = temperature }

    /// The similarity logits `Z = normalize(audio)·normalize(text)ᵀ/τ`, `[B, N]`.
    public func logits(audio: Tensor, text: Tensor) -> Tensor {
        precondition(audio.rank == 2 && text.rank == 2 && audio.shape[1] == text.shape[1],
                     "InfoNCE needs audio [B, D] and text [N, D], got \(audio.shape) and \(text.shape)")
        return Tensor.matmul(audio.l2Normalized(), text.l2Normalized(), transposeRight: true) * (1 / temperature)
    }

    /// The loss (rank-0) for audio `[B, D]` and text `[N, D]` with `N ≥ B`.
    public func callAsFunction(audio: Tensor, text: Tensor) -> Tensor {
        let batch = audio.shape[0]
        precondition(text.shape[0] >= batch, "InfoNCE needs at least as many text rows (\(text.shape[0])) as audio rows (\(batch))")
        let similarity = logits(audio: audio, text: text)
        let targets = Array(0..<batch)
        let audioToText = similarity.crossEntropy(targets: targets)
        let positives = text.shape[0] == batch ? similarity : similarity.sliced(axis: 1, 0..<batch)
        let textToAudio = positives.transposed().crossEntropy(targets: targets)
        return (audioToText + textToAudio) * 0.5
    }
}
