import DuetTensor

extension InfoNCELoss {
    /// Masked logits use this instead of −∞: far below any cosine/τ (|cos/0.03| ≤ 34), so the
    /// softmax weight underflows to exactly 0, while sums and gradients stay finite.
    public static let maskedLogit: Float = -1e4

    /// InfoNCE with TextSwap hard negatives: audio `[B, D]`, text `[N, D]` with `N ≥ B` (text row
    /// `i < B` the positive of audio row `i`, rows `B..<N` hard negatives), and an additive
    /// `[B, N]` mask, 0 where audio row `i` may see text column `j` and −∞ (or any value below
    /// `maskedLogit`) where it may not.
    ///
    /// `L = ½·(CE(Z + M, i) + CE(Z[:, :B]ᵀ, i))`: the mask shapes only the audio→text direction
    /// (which hard negatives and which in-batch negatives each row sees); text→audio uses the
    /// square block of the positives unmasked, since hard negatives have no audio of their own.
    public func callAsFunction(audio: Tensor, text: Tensor, audioToTextMask mask: [Float]?) -> Tensor {
        guard let mask else { return callAsFunction(audio: audio, text: text) }
        let batch = audio.shape[0]
        let columns = text.shape[0]
        precondition(mask.count == batch * columns, "mask of \(mask.count) values for logits [\(batch), \(columns)]")
        let similarity = logits(audio: audio, text: text)
        let bounded = mask.map { $0 < Self.maskedLogit ? Self.maskedLogit : $0 }
        let targets = Array(0..<batch)
        let audioToText = (similarity + Tensor(bounded, shape: [batch, columns])).crossEntropy(targets: targets)
        let positives = columns == batch ? similarity : similarity.sliced(axis: 1, 0..<batch)
        let textToAudio = positives.transposed().crossEntropy(targets: targets)
        return (audioToText + textToAudio) * 0.5
    }
}
