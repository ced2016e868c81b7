import Foundation

/// A PyTorch checkpoint as `torch.save` writes it since torch 1.6: a zip archive whose single top folder
/// `<name>/` holds `data.pkl` (the pickled object), `byteorder` (`little`), `version` and one entry
/// `data/<key>` of raw little-endian elements per storage (PyTorch's "torch.save" serialization notes;
/// torch/serialization.py).
///
/// Reading is safe on untrusted files: the pickle runs on ``PickleMachine`` with ``TorchPickleGlobals``,
/// which builds plain data and refuses, by name, every global other than the state-dict and tensor
/// rebuilders. No Python object is created and nothing is executed. Legacy files (torch < 1.6, or
/// `_use_new_zipfile_serialization=False`: a bare pickle stream or a tar) are recognised and refused.
public struct TorchCheckpoint {
    /// One tensor, materialised row-major in its converted type (``TorchStorageType``).
    public struct ConvertedTensor: Sendable {
        public var name: String
        /// torch's element type in the checkpoint (`float16`, `int64`, …).
        public var sourceType: String
        /// The safetensors type of ``bytes``: `F32`, `I64` or `I32`.
        public var dataType: String
        public var shape: [Int]
        public var bytes: Data
        /// The storage the tensor viewed; tensors sharing one (tied weights) share this key.
        public var storageKey: String
    }

    /// The tensors chosen from the checkpoint and what was left aside.
    public struct Selection: Sendable {
        public var tensors: [ConvertedTensor]
        /// The path of the dictionary the tensors came from (`state_dict`), empty for the top level.
        public var key: String
        /// Dotted names of entries that are not tensors (numbers, strings, lists), skipped.
        public var skipped: [String]
        /// How many names lost a prefix given to strip.
        public var strippedCount: Int
    }

    public let url: URL
    /// The file's size in bytes.
    public let byteCount: Int
    private let archive: ZipArchive
    /// The archive's top folder with its slash (`archive/`; torch names it after the file).
    private let folder: String
    private let root: PickleValue

    /// The leading bytes of a legacy checkpoint: PROTO 2, then LONG1 of torch's magic number 0x1950a86a20f9469cfc6c.
    static let legacyMagic: [UInt8] = [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]

    /// Opens `url`, reads the zip directory and runs the pickle.
    /// - Throws: ``TorchCheckpointError`` naming what is wrong: not a zip, a legacy file, truncated,
    ///   unknown opcode at an offset, a refused global by name, …
    public init(url: URL) throws {
        self.url = url
        let path = url.path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
            throw TorchCheckpointError.unreadable(path: path, reason: isFolder.boolValue ? "it is a folder" : "no such file")
        }
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw TorchCheckpointError.unreadable(path: path, reason: error.localizedDescription)
        }
        let head = [UInt8](data.prefix(512))
        if head.starts(with: Self.legacyMagic) || (head.first == 0x80 && head.count > 1 && head[1] <= 5)
            || (head.count >= 262 && Array(head[257..<262]) == Array("ustar".utf8)) {
            throw TorchCheckpointError.legacyFormat(path: path)
        }
        guard head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) else {
            throw TorchCheckpointError.notZip(path: path)
        }
        byteCount = data.count
        archive = try ZipArchive(data: data, path: path)
        // The pickle sits one folder down; the folder's name is the file's stem at save time, so it is found, not assumed.
        let pickles = archive.entries.map(\.name).filter { name in
            name.hasSuffix("/data.pkl") && name.dropLast("/data.pkl".count).allSatisfy { $0 != "/" }
        }
        guard pickles.count == 1, let pickleName = pickles.first else { throw TorchCheckpointError.notTorchArchive(path: path) }
        folder = String(pickleName.dropLast("data.pkl".count))
        if let order = archive.entry(named: folder + "byteorder") {
            let text = String(decoding: try archive.contents(of: order), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard text == "little" else { throw TorchCheckpointError.bigEndian(path: path) }
        }
        let pickle = [UInt8](try archive.contents(of: archive.entry(named: pickleName)!))
        var machine = PickleMachine(bytes: pickle, path: path, globals: TorchPickleGlobals())
        root = try machine.run()
    }

    /// The tensors of the state dict inside the checkpoint, materialised.
    ///
    /// Without `key`, the top-level dictionary is used when it holds a tensor itself; otherwise the one
    /// top-level entry whose dictionary holds tensors directly (`{"state_dict": …, "epoch": 3, "optimizer": …}`:
    /// an optimizer's tensors sit deeper, under `state`); several such entries are an error asking for `key`.
    /// Nested dictionaries inside the chosen one are flattened with dots, as `state_dict()` names them.
    /// - Parameters:
    ///   - key: the dictionary to use, as a path of keys separated by `/` (`state_dict`, `model/encoder`).
    ///   - stripPrefixes: prefixes removed from the names that start with them, the first that matches
    ///     (`module.` for a `DataParallel` checkpoint).
    public func selection(key: String? = nil, stripPrefixes: [String] = []) throws -> Selection {
        let path = url.path
        guard case .dictionary(let top) = root else {
            throw TorchCheckpointError.noTensors(path: path, reason: "the checkpoint holds a \(root.kind), not a dictionary of tensors")
        }
        var chosen = top
        var chosenKey = ""
        if let key, !key.isEmpty {
            for component in key.split(separator: "/").map(String.init) {
                guard case .dictionary(let inner)? = chosen.value(forComponent: component) else {
                    throw TorchCheckpointError.missingSubdictionary(path: path, key: key, available: chosen.keys.map(\.nameComponent))
                }
                chosen = inner
            }
            chosenKey = key
        } else if !top.values.contains(where: Self.isTensor) {
            let candidates = top.pairs.compactMap { key, value -> (String, PickleDictionary)? in
                guard case .dictionary(let inner) = value, inner.values.contains(where: Self.isTensor) else { return nil }
                return (key.nameComponent, inner)
            }
            guard candidates.count <= 1 else { throw TorchCheckpointError.ambiguousSubdictionary(path: path, candidates: candidates.map(\.0)) }
            guard let candidate = candidates.first else {
                throw TorchCheckpointError.noTensors(
                    path: path, reason: "no tensors at the top level or in a dictionary under \(top.keys.map(\.nameComponent).joined(separator: ", "))")
            }
            (chosenKey, chosen) = candidate
        }

        var references: [(String, TorchTensorReference)] = []
        var skipped: [String] = []
        var visited: Set<ObjectIdentifier> = [ObjectIdentifier(chosen)]
        try Self.flatten(chosen, prefix: "", depth: 0, path: path, visited: &visited, into: &references, skipped: &skipped)
        guard !references.isEmpty else {
            throw TorchCheckpointError.noTensors(path: path, reason: "the dictionary \(chosenKey.isEmpty ? "at the top level" : "'\(chosenKey)'") holds no tensor")
        }

        var storages: [String: Data] = [:]
        var tensors: [ConvertedTensor] = []
        var names: Set<String> = []
        var strippedCount = 0
        var outputBytes = 0
        let limit = byteCount.multipliedReportingOverflow(by: Self.expansionFactor).partialValue + Self.expansionAllowance
        for (originalName, reference) in references {
            var name = originalName
            if let prefix = stripPrefixes.first(where: { !$0.isEmpty && name.hasPrefix($0) }) {
                name.removeFirst(prefix.count)
                strippedCount += 1
            }
            guard names.insert(name).inserted else { throw TorchCheckpointError.duplicateName(path: path, name: name) }
            let storage = reference.storage
            let bytes: Data
            if let cached = storages[storage.key] {
                bytes = cached
            } else {
                let entryName = folder + "data/" + storage.key
                guard let entry = archive.entry(named: entryName) else { throw TorchCheckpointError.missingStorage(path: path, entry: entryName) }
                bytes = try archive.contents(of: entry)
                let (needed, overflow) = storage.elementCount.multipliedReportingOverflow(by: storage.type.byteWidth)
                guard !overflow, bytes.count >= needed else {
                    throw TorchCheckpointError.storageTooSmall(path: path, entry: entryName, bytes: bytes.count, needed: overflow ? Int.max : needed)
                }
                storages[storage.key] = bytes
            }
            guard reference.fitsStorage, let count = reference.elementCount else {
                throw TorchCheckpointError.tensorOutOfBounds(
                    path: path, name: originalName, shape: reference.shape, strides: reference.strides, offset: reference.offset,
                    storageCount: storage.elementCount)
            }
            // Zero strides and repeated references let a small file describe enormous tensors; refused before allocating.
            let (tensorBytes, overflow) = count.multipliedReportingOverflow(by: storage.type.convertedByteWidth)
            let (total, overflowTotal) = outputBytes.addingReportingOverflow(tensorBytes)
            guard !overflow, !overflowTotal, total <= limit else {
                throw TorchCheckpointError.expansionLimit(path: path, bytes: overflow || overflowTotal ? Int.max : total, limit: limit)
            }
            outputBytes = total
            tensors.append(ConvertedTensor(
                name: name, sourceType: storage.type.torchName, dataType: storage.type.convertedDataType, shape: reference.shape,
                bytes: reference.materialized(from: bytes), storageKey: storage.key))
        }
        return Selection(tensors: tensors, key: chosenKey, skipped: skipped, strippedCount: strippedCount)
    }

    /// The deepest nesting followed.
    static let maximumDepth = 32

    /// The converted tensors may take at most this many times the file's size (plus ``expansionAllowance``):
    /// int8 and bool widen 4× to int32, and tied weights are written once per name, so real checkpoints stay
    /// far below it.
    public static let expansionFactor = 16
    static let expansionAllowance = 1 << 20

    private static func isTensor(_ value: PickleValue) -> Bool {
        if case .tensor = value { true } else { false }
    }

    /// Collects the tensors of `dictionary` and its nested dictionaries under dotted names. A dictionary
    /// reached twice (memoised and referenced again, or containing itself) is refused: followed, it would
    /// let a few bytes of pickle name exponentially many tensors.
    private static func flatten(
        _ dictionary: PickleDictionary, prefix: String, depth: Int, path: String, visited: inout Set<ObjectIdentifier>,
        into references: inout [(String, TorchTensorReference)], skipped: inout [String]
    ) throws {
        guard depth < maximumDepth else {
            throw TorchCheckpointError.noTensors(path: path, reason: "dictionaries nest deeper than \(maximumDepth) levels at '\(prefix)'")
        }
        for (key, value) in dictionary.pairs {
            let name = prefix + key.nameComponent
            switch value {
            case .tensor(let reference): references.append((name, reference))
            case .dictionary(let inner):
                guard visited.insert(ObjectIdentifier(inner)).inserted else { throw TorchCheckpointError.sharedDictionary(path: path, name: name) }
                try flatten(inner, prefix: name + ".", depth: depth + 1, path: path, visited: &visited, into: &references, skipped: &skipped)
            default: skipped.append(name)
            }
        }
    }
}
