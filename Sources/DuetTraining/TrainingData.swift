import DuetRandom
import DuetTensor

/// The texts of one training batch: `B` positives (column `i` for audio row `i`) followed by hard
/// negatives, with the additive audio→text mask that says which row sees which column (nil when
/// every row sees every column).
public struct TrainingTextBatch: Sendable {
    public var texts: [String]
    public var audioToTextMask: [Float]?
    public var hardNegativeCount: Int

    public init(texts: [String], audioToTextMask: [Float]? = nil, hardNegativeCount: Int = 0) {
        self.texts = texts
        self.audioToTextMask = audioToTextMask
        self.hardNegativeCount = hardNegativeCount
    }
}

/// Everything the trainer reads, already computed by the locked encoders: items are indices,
/// features come from closures (backed by the feature stores, or by arrays in tests).
public struct TrainingData {
    public var trainItems: [Int]
    public var validItems: [Int]
    /// Tokens per clip and width per token of the audio features.
    public var audioTokenCount: Int
    public var audioWidth: Int
    /// Width of the text encoder's token states.
    public var textWidth: Int
    /// `[audioTokenCount, audioWidth]` features of an item, row-major.
    public var audioFeatures: (Int) throws -> [Float]
    /// `[length, textWidth]` token states of a text, row-major.
    public var textStates: (String) throws -> [Float]
    /// The texts of a training batch of `items` at `epoch`, drawing randomness only from `generator`.
    public var batchTexts: (_ items: [Int], _ epoch: Int, _ generator: inout SeededGenerator) -> TrainingTextBatch
    /// Held-out (item, query) pairs for validation R@10 (e.g. human-written captions).
    public var validationQueries: [(item: Int, text: String)]
    /// One text per validation item, in `validItems` order, as the positive of the validation loss
    /// (early stopping). The paper's validation split is of the training distribution, so this
    /// should be text made the way training texts are; when nil, each item's first query is used.
    public var validationPositives: [String]?

    public init(
        trainItems: [Int], validItems: [Int], audioTokenCount: Int, audioWidth: Int, textWidth: Int,
        audioFeatures: @escaping (Int) throws -> [Float], textStates: @escaping (String) throws -> [Float],
        batchTexts: @escaping (_ items: [Int], _ epoch: Int, _ generator: inout SeededGenerator) -> TrainingTextBatch,
        validationQueries: [(item: Int, text: String)], validationPositives: [String]? = nil
    ) {
        precondition(validationPositives.map { $0.count == validItems.count } ?? true,
                     "\(validationPositives?.count ?? 0) validation positives for \(validItems.count) validation items")
        self.trainItems = trainItems
        self.validItems = validItems
        self.audioTokenCount = audioTokenCount
        self.audioWidth = audioWidth
        self.textWidth = textWidth
        self.audioFeatures = audioFeatures
        self.textStates = textStates
        self.batchTexts = batchTexts
        self.validationQueries = validationQueries
        self.validationPositives = validationPositives
    }

    /// Audio features of `items` as `[items.count, tokens, width]`.
    func audioBatch(_ items: [Int]) throws -> Tensor {
        var values: [Float] = []
        values.reserveCapacity(items.count * audioTokenCount * audioWidth)
        for item in items {
            let features = try audioFeatures(item)
            guard features.count == audioTokenCount * audioWidth else {
                throw TrainingError.missingFeatures(what: "item \(item) (\(features.count) values, expected \(audioTokenCount) x \(audioWidth))")
            }
            values += features
        }
        return Tensor(values, shape: [items.count, audioTokenCount, audioWidth])
    }

    /// Token states of `texts`, right-padded to the longest: `[texts.count, time, textWidth]`
    /// and the key-padding mask `[texts.count, time]` (true where padded).
    func textBatch(_ texts: [String]) throws -> (states: Tensor, keyPadding: [Bool]) {
        let states = try texts.map { try textStates($0) }
        for (row, state) in states.enumerated() where state.isEmpty || state.count % textWidth != 0 {
            throw TrainingError.missingFeatures(what: "text '\(texts[row])' (\(state.count) values, width \(textWidth))")
        }
        return Self.padded(states, width: textWidth)
    }

    /// Per-text `[length, width]` states right-padded into `[count, time, width]` with the
    /// key-padding mask `[count, time]` (true where padded), `time` the longest length.
    public static func padded(_ states: [[Float]], width: Int) -> (states: Tensor, keyPadding: [Bool]) {
        let lengths = states.map { $0.count / width }
        let time = max(1, lengths.max() ?? 1)
        var values = [Float](repeating: 0, count: states.count * time * width)
        var padding = [Bool](repeating: true, count: states.count * time)
        for (row, state) in states.enumerated() {
            let start = row * time * width
            values.replaceSubrange(start..<(start + state.count), with: state)
            for position in 0..<lengths[row] { padding[row * time + position] = false }
        }
        return (Tensor(values, shape: [states.count, time, width]), padding)
    }
}
