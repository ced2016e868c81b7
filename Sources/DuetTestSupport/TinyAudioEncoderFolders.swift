import DuetModel
import Foundation

/// Weights folders for MERT and HTS-AT built from the tiny random checkpoints their parity tests use
/// (`Tests/DuetEncodersTests/Resources/mert-tiny`: a 95M-like HuBERT of 32 channels and 2 layers at 16 kHz;
/// `htsat-tiny`: a three-stage Swin of widths 8, 16, 32 at 8 kHz with 0.5-s clips). Only the files a user
/// brings are copied (`config.json`, `model.safetensors`), not the reference outputs beside them.
public enum TinyAudioEncoderFolders {
    /// The checkpoint folder of `kind` among the encoder test resources.
    public static func source(of kind: AudioEncoderKind) throws -> URL {
        switch kind {
        case .mert: TinyTextEncoderFolders.encoderResources.appendingPathComponent("mert-tiny")
        case .htsat: TinyTextEncoderFolders.encoderResources.appendingPathComponent("htsat-tiny")
        case .musicnn, .scratch:
            throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "\(kind.rawValue) is not read from a folder"])
        }
    }

    /// Copies the folder of `kind` into `folder` (created) and returns it.
    public static func write(_ kind: AudioEncoderKind, into folder: URL) throws -> URL {
        let source = try source(of: kind)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["config.json", "model.safetensors"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        return folder
    }
}
