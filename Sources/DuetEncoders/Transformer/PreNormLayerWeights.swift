/// The parameters of one pre-norm Transformer layer, `x + attention(norm₁ x)` then
/// `x + mlp(norm₂ x)`: CLIP's text layers and HTS-AT's Swin blocks (which add a relative position
/// table beside it). Widths: `hidden` channels, `intermediate` feed-forward channels.
public struct PreNormLayerWeights: Sendable {
    public var firstNormScale: [Float]
    public var firstNormShift: [Float]
    /// `[3 · hidden, hidden]`: query rows, then key rows, then value rows.
    public var queryKeyValueWeight: [Float]
    /// `[3 · hidden]`.
    public var queryKeyValueBias: [Float]
    /// `[hidden, hidden]`.
    public var attentionOutputWeight: [Float]
    public var attentionOutputBias: [Float]
    public var secondNormScale: [Float]
    public var secondNormShift: [Float]
    /// `[intermediate, hidden]`.
    public var intermediateWeight: [Float]
    public var intermediateBias: [Float]
    /// `[hidden, intermediate]`.
    public var outputWeight: [Float]
    public var outputBias: [Float]
}
