extension BertSentenceEncoder {
    /// The last layer's token states of each text, unpadded: `[length, hidden]` row-major per
    /// text (`[CLS]` and `[SEP]` included), in input order. Runs in length-sorted chunks.
    /// - Parameter progress: called after each chunk with (texts done, total).
    public func tokenStatesPerText(_ texts: [String], progress: ((Int, Int) -> Void)? = nil) throws -> [[Float]] {
        let sentences = texts.map { tokenizer.encode($0).ids }
        var result = [[Float]](repeating: [], count: texts.count)
        var done = 0
        for chunk in chunks(of: sentences) {
            let states = try model.hiddenStates(sentences: chunk.map { sentences[$0] })
            for (index, values) in zip(chunk, states) { result[index] = values }
            done += chunk.count
            progress?(done, texts.count)
        }
        return result
    }
}
