import Foundation

/// Why a TensorFlow checkpoint could not be read. Every case names the file or tensor.
public enum TensorFlowCheckpointError: LocalizedError, Equatable, Sendable {
    /// A checkpoint file is not there; the model cache has not been set up.
    case missingFile(path: String)
    /// The `.index` table is not a TensorFlow tensor bundle (bad magic, bad block, bad protobuf).
    case malformedIndex(path: String, reason: String)
    /// No tensor of that name in the checkpoint.
    case missingTensor(name: String, checkpoint: String)
    /// The tensor is stored with a dtype this reader does not decode (only float32 is needed).
    case unsupportedDataType(name: String, dataType: Int)
    /// The tensor's bytes lie outside the data file or do not match its shape.
    case badExtent(name: String, reason: String)
    /// The stored masked CRC-32C does not match the bytes: the data file is corrupt.
    case checksumMismatch(name: String, stored: UInt32, computed: UInt32)

    public var errorDescription: String? {
        switch self {
        case .missingFile(let path):
            "TensorFlow checkpoint file \(path) is missing; run `make setup` to install the musicnn weights"
        case .malformedIndex(let path, let reason):
            "\(path) is not a readable TensorFlow checkpoint index (\(reason)); reinstall it with `make setup`"
        case .missingTensor(let name, let checkpoint):
            "tensor \"\(name)\" is not in checkpoint \(checkpoint)"
        case .unsupportedDataType(let name, let dataType):
            "tensor \"\(name)\" has TensorFlow dtype \(dataType); only DT_FLOAT (1) is supported"
        case .badExtent(let name, let reason):
            "tensor \"\(name)\": \(reason); the checkpoint data file is damaged, reinstall it with `make setup`"
        case .checksumMismatch(let name, let stored, let computed):
            "tensor \"\(name)\" fails its CRC-32C check (stored \(String(stored, radix: 16)), computed \(String(computed, radix: 16))); reinstall the weights with `make setup`"
        }
    }
}
