/// One locked text encoder as a run uses it: its kind and, for the kinds read from a folder
/// (``TextEncoderKind/readsWeightsFolder``), the folder and the fingerprint of its files. Two
/// selections with the same kind but other weights are other encoders: their token states are cached
/// under other keys and a checkpoint trained on one refuses the other.
public struct TextEncoderSelection: Hashable, Sendable {
    public var kind: TextEncoderKind
    /// The weights folder (`textEncoderWeights`), as an absolute path once resolved; nil for MiniLM and e5-small.
    public var weightsFolder: String?
    /// The fingerprint of the folder's files (`ContentHash` of config, weights and tokenizer files, in
    /// hexadecimal); nil until computed, and for MiniLM and e5-small.
    public var weightsFingerprint: String?

    public init(kind: TextEncoderKind, weightsFolder: String? = nil, weightsFingerprint: String? = nil) {
        self.kind = kind
        self.weightsFolder = weightsFolder
        self.weightsFingerprint = weightsFingerprint
    }

    /// The identity recorded in checkpoints and folded into feature-cache keys (MiniLM's and e5's are
    /// unchanged; the others carry the fingerprint as their version).
    public var identity: EncoderIdentity { kind.identity(weightsFingerprint: weightsFingerprint) }
}
