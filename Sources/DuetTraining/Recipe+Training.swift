import DuetData

extension Recipe {
    /// The recipe a training configuration asks for (its ablation switches, views per item and seed).
    public init(configuration: TrainingConfiguration, vocabulary: TagVocabulary?, dictionary: SwapDictionary) {
        self.init(
            useCaptions: configuration.useCaptions, useViews: configuration.useViews, useTextSwap: configuration.useTextSwap,
            viewCount: configuration.viewCount, seed: configuration.seed, vocabulary: vocabulary, dictionary: dictionary)
    }
}

extension TrainingTextBatch {
    /// The trainer's view of a recipe batch: its texts, and the additive mask when it has hard negatives.
    public init(_ batch: ContrastiveTextBatch) {
        guard !batch.hardNegatives.isEmpty else {
            self.init(texts: batch.texts)
            return
        }
        self.init(texts: batch.texts, audioToTextMask: batch.additiveMask(), hardNegativeCount: batch.hardNegatives.count)
    }
}
