import DuetWeights
import Foundation

/// The parameters of laion_clap's `CLAP` (HTS-AT + RoBERTa), read strictly from one safetensors file by
/// the names of `CLAP.state_dict()`, as `duet convert-weights CHECKPOINT -o DIR --key state_dict
/// --strip-prefix module.` writes them from `630k-audioset-best.pt` or `music_audioset_epoch_15_esc_90.14.pt`
/// (a file that kept DistributedDataParallel's `module.` in front of every name loads too):
/// - `audio_branch.…`: the HTS-AT tower, read by ``HTSATWeights`` (front-end buffers checked, classifier dropped);
/// - `text_branch.…`: the `RobertaModel`, read by ``BertWeights``; its pooler is required, because CLAP
///   projects `pooler_output`;
/// - `audio_projection.{0,2}.{weight,bias}` `[joint, embed_dim]`, `[joint]`, `[joint, joint]`, `[joint]`, and
///   `text_projection.{0,2}.…` with the text tower's width as input: the two projection MLPs;
/// - `logit_scale_a`, `logit_scale_t` `[]`: the log temperatures of the contrastive loss (kept, unused by
///   retrieval, which ranks by cosine);
/// - `audio_transform.sequential.{0,3}.…`, `text_transform.sequential.{0,3}.…` `[joint, joint]`, `[joint]`:
///   the MLPs that only laion_clap's training loss reads; shape-checked and dropped.
/// A missing or mis-shaped name throws `WeightsError.missingKey` / `.shapeMismatch` naming it; any other
/// name throws `WeightsError.unexpectedKeys` listing it.
public struct ClapWeights: Sendable {
    public var audio: HTSATWeights
    public var text: BertWeights
    public var audioProjection: ClapProjection
    public var textProjection: ClapProjection
    /// `logit_scale_a` and `logit_scale_t` (log of the inverse temperature; `exp` of it multiplies the cosines).
    public var audioLogitScale: Float
    public var textLogitScale: Float

    /// The prefixes a checkpoint may put before every name.
    public static let knownPrefixes = ["", "module."]
    /// The names the training-only transforms hold under each of `audio_transform.` and `text_transform.`.
    static let transformLayers = ["sequential.0", "sequential.3"]

    /// `"module."` when `file` stores the model under DistributedDataParallel's prefix, else "".
    public static func checkpointPrefix(in file: SafetensorsFile) -> String {
        knownPrefixes.first { file.shape(of: $0 + "logit_scale_a") != nil } ?? ""
    }

    /// Reads every parameter of `configuration` from `file`, strictly (see the type's notes).
    public init(file: SafetensorsFile, configuration: ClapConfiguration) throws {
        let prefix = Self.checkpointPrefix(in: file)
        let audioPrefix = prefix + "audio_branch.", textPrefix = prefix + "text_branch."
        audio = try HTSATWeights(file: file, configuration: configuration.audio, prefix: audioPrefix, ignoringOtherBranches: true)
        text = try BertWeights(file: file, configuration: configuration.text, prefix: textPrefix, ignoringOtherBranches: true)
        guard text.pooler != nil else {
            throw WeightsError.missingKey(name: textPrefix + BertWeights.poolerNames[0], path: file.url.path)
        }
        var consumed = Set<String>()
        func read(_ name: String, _ shape: [Int]) throws -> [Float] {
            consumed.insert(prefix + name)
            return try file.tensor(named: prefix + name, expectedShape: shape).storage
        }
        let joint = configuration.jointWidth
        func projection(_ name: String, input: Int) throws -> ClapProjection {
            ClapProjection(
                firstWeight: try read(name + ".0.weight", [joint, input]), firstBias: try read(name + ".0.bias", [joint]),
                secondWeight: try read(name + ".2.weight", [joint, joint]), secondBias: try read(name + ".2.bias", [joint]),
                inputWidth: input, outputWidth: joint, activation: configuration.projectionActivation)
        }
        audioProjection = try projection("audio_projection", input: configuration.audioWidth)
        textProjection = try projection("text_projection", input: configuration.text.hiddenSize)
        audioLogitScale = try read("logit_scale_a", [])[0]
        textLogitScale = try read("logit_scale_t", [])[0]
        for transform in ["audio_transform.", "text_transform."] {
            for layer in Self.transformLayers {
                _ = try read(transform + layer + ".weight", [joint, joint])
                _ = try read(transform + layer + ".bias", [joint])
            }
        }
        let unexpected = file.names.filter { name in
            !consumed.contains(name) && !name.hasPrefix(audioPrefix) && !name.hasPrefix(textPrefix)
        }
        guard unexpected.isEmpty else { throw WeightsError.unexpectedKeys(names: unexpected.sorted(), path: file.url.path) }
    }
}
