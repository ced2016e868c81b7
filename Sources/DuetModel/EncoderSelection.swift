/// A kind of locked encoder some of whose members read their weights from a folder the user brings
/// (the paper's text towers, MERT and HTS-AT): ``TextEncoderKind`` and ``AudioEncoderKind``.
public protocol WeightsFolderEncoderKind: Hashable, Sendable {
    /// Whether the weights come from a user-given folder rather than the model cache.
    var readsWeightsFolder: Bool { get }
    /// The identity recorded in checkpoints and folded into feature-cache keys; for the kinds read from a
    /// folder the version is the folder's fingerprint (ignored by the others, whose identities are fixed).
    func identity(weightsFingerprint: String?) -> EncoderIdentity
}

/// One locked encoder as a run uses it: its kind and, for the kinds read from a folder
/// (``WeightsFolderEncoderKind/readsWeightsFolder``), the folder and the fingerprint of its files. Two
/// selections with the same kind but other weights are other encoders: their features are cached
/// under other keys and a checkpoint trained on one refuses the other.
public struct EncoderSelection<Kind: WeightsFolderEncoderKind>: Hashable, Sendable {
    public var kind: Kind
    /// The weights folder (`textEncoderWeights`, `audioEncoderWeights`), as an absolute path once resolved;
    /// nil for the kinds from the model cache.
    public var weightsFolder: String?
    /// The fingerprint of the folder's files (`ContentHash` of the files the encoder reads, in
    /// hexadecimal); nil until computed, and for the kinds from the model cache.
    public var weightsFingerprint: String?

    public init(kind: Kind, weightsFolder: String? = nil, weightsFingerprint: String? = nil) {
        self.kind = kind
        self.weightsFolder = weightsFolder
        self.weightsFingerprint = weightsFingerprint
    }

    /// The identity recorded in checkpoints and folded into feature-cache keys (fixed for the kinds from
    /// the model cache; the others carry the fingerprint as their version).
    public var identity: EncoderIdentity { kind.identity(weightsFingerprint: weightsFingerprint) }
}

/// A text encoder as a run uses it (MiniLM's and e5's identities are unchanged by the selection).
public typealias TextEncoderSelection = EncoderSelection<TextEncoderKind>
/// An audio encoder as a run uses it: musicnn, the from-scratch front end, or MERT / HTS-AT from a folder.
public typealias AudioEncoderSelection = EncoderSelection<AudioEncoderKind>
