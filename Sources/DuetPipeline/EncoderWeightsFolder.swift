import DuetModel
import Foundation

/// A user's weights folder for one encoder kind, checked when it is opened and fingerprinted
/// (``WeightsFolderFiles`` does both): ``TextEncoderWeightsFolder`` for the paper's text towers,
/// ``AudioEncoderWeightsFolder`` for MERT and HTS-AT. `Encoders` resolves either through this protocol, and
/// ``EncoderWeightsError`` words its messages from it.
public protocol EncoderWeightsFolder: Sendable {
    associatedtype Kind: WeightsFolderEncoderKind & RawRepresentable<String>
    /// `"text"` or `"audio"`, for messages.
    static var tower: String { get }
    /// The configuration key that names the folder (`textEncoderWeights`, `audioEncoderWeights`).
    static var setting: String { get }
    /// The command-line option that overrides it (`--text-encoder-weights`, `--audio-encoder-weights`).
    static var option: String { get }
    /// The page that lists the files to bring.
    static var documentation: String { get }
    /// The files `kind` needs, in words.
    static func describeFiles(of kind: Kind) -> String

    /// Checks that `path` is a folder holding every file `kind` reads; `setting` says where the path came from.
    init(kind: Kind, path: String, setting: String) throws
    /// The folder, absolute and standardised.
    var url: URL { get }
    /// The fingerprint of the files the encoder reads, 16 hexadecimal digits.
    func fingerprint() throws -> String
}
