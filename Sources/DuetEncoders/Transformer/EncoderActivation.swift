/// The feed-forward nonlinearity of a locked Transformer encoder, named as `transformers` names it in
/// a configuration's `hidden_act` (CLIP, BERT) or `dense_act_fn` (T5). See ``VectorMath`` for the
/// formulas and their accuracy.
public enum EncoderActivation: String, Sendable, CaseIterable {
    /// The exact GELU `x Φ(x)` (`"gelu"`; BERT, RoBERTa).
    case gelu = "gelu"
    /// `x σ(1.702 x)` (`"quick_gelu"`; OpenAI CLIP).
    case quickGELU = "quick_gelu"
    /// The tanh approximation of GELU (`"gelu_new"`; T5 v1.1, mT5).
    case tanhGELU = "gelu_new"
    /// `max(x, 0)` (`"relu"`; the original T5).
    case relu = "relu"

    /// The activation `transformers` runs for the name `name`, accepting its aliases
    /// (`gelu_pytorch_tanh` computes the same tanh approximation as `gelu_new`); nil when unknown.
    public init?(configurationName name: String) {
        if name == "gelu_pytorch_tanh" { self = .tanhGELU } else { self.init(rawValue: name) }
    }
}
