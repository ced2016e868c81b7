import Foundation

extension BertModel {
    /// `transformers`' `pooler_output`: the first token's last-layer state (`[CLS]`, RoBERTa's `<s>`)
    /// through the pooler, `tanh(h₀ Wᵀ + b)`. LAION-CLAP's RoBERTa text branch projects this
    /// (`encode_text` reads `["pooler_output"]`).
    ///
    /// - Parameter sentences: token ids per sentence, special tokens included (as for ``hiddenStates(sentences:)``).
    /// - Returns: `[hidden]` per sentence.
    /// - Throws: `BertError.unsupportedConfiguration` when the checkpoint has no pooler, `.invalidInput`
    ///   for ids the model cannot read.
    public func pooledOutputs(sentences: [[Int32]]) throws(BertError) -> [[Float]] {
        guard let pooler = weights.pooler else {
            throw .unsupportedConfiguration(path: "model.safetensors", reason: "the checkpoint has no pooler (pooler.dense.weight, pooler.dense.bias) to pool with")
        }
        let hidden = configuration.hiddenSize
        return try hiddenStates(sentences: sentences).map { states in
            (0..<hidden).map { output in
                let row = output * hidden
                var total = pooler.bias[output]
                for input in 0..<hidden { total += pooler.weight[row + input] * states[input] }
                return Foundation.tanh(total)
            }
        }
    }
}
