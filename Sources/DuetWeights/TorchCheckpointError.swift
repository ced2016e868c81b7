import Foundation

/// Why a PyTorch checkpoint (`torch.save`'s zip + pickle format) could not be read or converted.
///
/// Every case names the file; cases about the pickle name the byte offset in `data.pkl`, so a damaged or
/// hostile file can be inspected with `python -m pickletools`.
public enum TorchCheckpointError: LocalizedError, Equatable {
    case unreadable(path: String, reason: String)
    case notZip(path: String)
    case legacyFormat(path: String)
    case truncated(path: String, reason: String)
    case malformedZip(path: String, reason: String)
    case unsupportedCompression(path: String, entry: String, method: Int)
    case corruptEntry(path: String, entry: String, reason: String)
    case notTorchArchive(path: String)
    case bigEndian(path: String)
    case unknownOpcode(path: String, opcode: UInt8, offset: Int)
    case malformedPickle(path: String, offset: Int, reason: String)
    case refusedGlobal(path: String, name: String, offset: Int)
    case missingStorage(path: String, entry: String)
    case storageTooSmall(path: String, entry: String, bytes: Int, needed: Int)
    case tensorOutOfBounds(path: String, name: String, shape: [Int], strides: [Int], offset: Int, storageCount: Int)
    case noTensors(path: String, reason: String)
    case missingSubdictionary(path: String, key: String, available: [String])
    case ambiguousSubdictionary(path: String, candidates: [String])
    case duplicateName(path: String, name: String)
    case sharedDictionary(path: String, name: String)
    case expansionLimit(path: String, bytes: Int, limit: Int)

    public var errorDescription: String? {
        switch self {
        case .unreadable(let path, let reason):
            "cannot read \(path): \(reason)"
        case .notZip(let path):
            "\(path) is not a PyTorch checkpoint: it is not a zip archive (torch.save has written zips since torch 1.6)"
        case .legacyFormat(let path):
            "\(path) is a legacy PyTorch checkpoint (written before torch 1.6 or with _use_new_zipfile_serialization=False), "
                + "which Duet does not read; re-save it with a current torch: "
                + "torch.save(torch.load(path, weights_only=True), new_path)"
        case .truncated(let path, let reason):
            "\(path) is truncated: \(reason)"
        case .malformedZip(let path, let reason):
            "\(path) is not a valid zip archive: \(reason)"
        case .unsupportedCompression(let path, let entry, let method):
            "\(path): entry '\(entry)' uses zip compression method \(method); only stored (0) and deflate (8) are read"
        case .corruptEntry(let path, let entry, let reason):
            "\(path): entry '\(entry)' is corrupt: \(reason)"
        case .notTorchArchive(let path):
            "\(path) is a zip archive but not a PyTorch checkpoint (no '<name>/data.pkl' entry)"
        case .bigEndian(let path):
            "\(path) was saved on a big-endian machine; Duet reads little-endian checkpoints only"
        case .unknownOpcode(let path, let opcode, let offset):
            "\(path): unknown or unsupported pickle opcode 0x\(String(opcode, radix: 16, uppercase: false)) at offset \(offset) of data.pkl "
                + "(only the opcodes torch.save writes are read)"
        case .malformedPickle(let path, let offset, let reason):
            "\(path): malformed pickle at offset \(offset) of data.pkl: \(reason)"
        case .refusedGlobal(let path, let name, let offset):
            "\(path): refused global '\(name)' at offset \(offset) of data.pkl: the checkpoint refers to code other than "
                + "tensors, so it was not loaded (nothing was executed); Duet reads dictionaries of tensors, as "
                + "torch.save(model.state_dict(), path) writes them"
        case .missingStorage(let path, let entry):
            "\(path): the pickle refers to tensor storage '\(entry)', which the archive does not hold"
        case .storageTooSmall(let path, let entry, let bytes, let needed):
            "\(path): tensor storage '\(entry)' holds \(bytes) bytes, the pickle declares \(needed)"
        case .tensorOutOfBounds(let path, let name, let shape, let strides, let offset, let storageCount):
            "\(path): tensor '\(name)' (shape \(shape), strides \(strides), storage offset \(offset)) reaches outside its storage "
                + "of \(storageCount) elements"
        case .noTensors(let path, let reason):
            "\(path): no tensors to convert: \(reason)"
        case .missingSubdictionary(let path, let key, let available):
            "\(path): no dictionary under '\(key)'; the checkpoint's keys are \(available.joined(separator: ", "))"
        case .ambiguousSubdictionary(let path, let candidates):
            "\(path): several dictionaries hold tensors (\(candidates.joined(separator: ", "))); choose one with --key"
        case .duplicateName(let path, let name):
            "\(path): two tensors are named '\(name)' after flattening and prefix stripping"
        case .sharedDictionary(let path, let name):
            "\(path): the dictionary at '\(name)' also appears elsewhere in the checkpoint (shared or cyclic); a state dict never shares one"
        case .expansionLimit(let path, let bytes, let limit):
            "\(path): the tensors would take more than \(limit) bytes (at least \(bytes)), over \(TorchCheckpoint.expansionFactor) times the "
                + "file's size; the pickle repeats or broadcasts storages far beyond what a checkpoint holds"
        }
    }
}
