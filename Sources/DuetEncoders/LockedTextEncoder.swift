/// A locked (never trained) text encoder as DuET-MC reads it: the last layer's token states of each
/// text. MiniLM and multilingual-e5-small (`BertSentenceEncoder`) and the paper's CLIP-T, RoBERTa, T5 and
/// mT5 towers (`TokenStateEncoder`) are the real ones; tests use a small stand-in
/// (`DuetTestSupport.StandInTextEncoder`) so that the pipeline runs without weights.
public protocol LockedTextEncoder: Sendable {
    /// Width of one token state.
    var hiddenSize: Int { get }
    /// The token states of each text, `[length, hiddenSize]` flattened (special tokens included), in
    /// input order. `progress(done, total)` is called as texts finish.
    func tokenStatesPerText(_ texts: [String], progress: ((Int, Int) -> Void)?) throws -> [[Float]]
}

extension BertSentenceEncoder: LockedTextEncoder {
    public var hiddenSize: Int { model.configuration.hiddenSize }
}
