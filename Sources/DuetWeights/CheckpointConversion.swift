import Foundation

/// `duet convert-weights`: a PyTorch checkpoint (`pytorch_model.bin`, `*.pt`, `*.ckpt`) to the
/// `model.safetensors` that Duet's loaders read, with the model's configuration and tokenizer files copied
/// beside it.
///
/// Floating-point tensors are written as float32 (float16 and bfloat16 exactly, float64 rounded to
/// nearest); int64 and int32 tensors keep their type (buffers such as `embeddings.position_ids`, which the
/// loaders check and skip); narrower integers and booleans widen to int32. Every tensor is written
/// contiguous, its own copy: tied weights (one storage under two names) become two equal tensors, which
/// the safetensors format requires and Duet's strict loaders expect by name.
public enum CheckpointConversion {
    /// The file written into the output folder.
    public static let outputName = "model.safetensors"

    /// The files copied from beside the checkpoint when present: the configuration and every tokenizer
    /// file that Duet's towers read (WordPiece, byte-level BPE, SentencePiece) or that `transformers` writes.
    public static let companionNames = [
        "config.json", "generation_config.json", "preprocessor_config.json", "tokenizer.json", "tokenizer_config.json",
        "special_tokens_map.json", "added_tokens.json", "vocab.txt", "vocab.json", "merges.txt", "spiece.model",
        "sentencepiece.bpe.model", "tokenizer.model",
    ]

    /// What a conversion did.
    public struct Summary: Sendable, Codable, Equatable {
        public var source: String
        public var output: String
        /// The dictionary the tensors came from (`state_dict`), empty for the top level.
        public var key: String
        public var tensorCount: Int
        /// Elements over every tensor (tied copies counted once per name).
        public var parameterCount: Int
        /// Tensors per conversion, as `"float16 → float32": 3`; types kept as they are are not listed.
        public var conversions: [String: Int]
        /// Tensors per data type written (`F32`, `I64`, `I32`).
        public var writtenTypes: [String: Int]
        /// Tensors that share their storage with another one (tied weights), each written as its own copy.
        public var sharedStorageTensors: Int
        /// Entries of the chosen dictionary that are not tensors, skipped.
        public var skipped: [String]
        public var strippedCount: Int
        /// Companion files copied into the output folder.
        public var copiedFiles: [String]
    }

    /// Converts `source` into `outputFolder/model.safetensors` (written atomically) and copies its companions.
    /// - Parameters:
    ///   - source: a checkpoint file, or a folder holding `pytorch_model.bin`.
    ///   - key: the dictionary to convert (see ``TorchCheckpoint/selection(key:stripPrefixes:)``).
    ///   - stripPrefixes: name prefixes to remove (`module.`).
    /// - Throws: ``TorchCheckpointError`` for the checkpoint, `WeightsError.writeFailed` for the output.
    public static func convert(source: URL, outputFolder: URL, key: String? = nil, stripPrefixes: [String] = []) throws -> Summary {
        let file = try checkpointFile(source)
        let checkpoint = try TorchCheckpoint(url: file)
        let selection = try checkpoint.selection(key: key, stripPrefixes: stripPrefixes)

        var conversions: [String: Int] = [:]
        var writtenTypes: [String: Int] = [:]
        var storageUse: [String: Int] = [:]
        var parameterCount = 0
        for tensor in selection.tensors {
            let written = tensor.dataType == "F32" ? "float32" : tensor.dataType == "I64" ? "int64" : "int32"
            if written != tensor.sourceType { conversions["\(tensor.sourceType) → \(written)", default: 0] += 1 }
            writtenTypes[tensor.dataType, default: 0] += 1
            storageUse[tensor.storageKey, default: 0] += 1
            parameterCount += tensor.shape.reduce(1, *)
        }
        let shared = selection.tensors.filter { storageUse[$0.storageKey, default: 0] > 1 }.count

        let output = outputFolder.appendingPathComponent(outputName)
        let records = selection.tensors.map { Safetensors.Record(name: $0.name, dataType: $0.dataType, shape: $0.shape, bytes: $0.bytes) }
        try Safetensors.write(records, to: output, metadata: ["format": "pt", "source": file.lastPathComponent])

        var copied: [String] = []
        let sourceFolder = file.deletingLastPathComponent().standardizedFileURL
        if sourceFolder.path != outputFolder.standardizedFileURL.path {
            for name in companionNames {
                let companion = sourceFolder.appendingPathComponent(name)
                guard FileManager.default.fileExists(atPath: companion.path) else { continue }
                let contents: Data
                do { contents = try Data(contentsOf: companion) } catch {
                    throw WeightsError.writeFailed(path: outputFolder.appendingPathComponent(name).path, reason: "cannot read \(companion.path): \(error.localizedDescription)")
                }
                try AtomicFile.write(contents, to: outputFolder.appendingPathComponent(name))
                copied.append(name)
            }
        }
        return Summary(
            source: file.path, output: output.path, key: selection.key, tensorCount: selection.tensors.count,
            parameterCount: parameterCount, conversions: conversions, writtenTypes: writtenTypes, sharedStorageTensors: shared,
            skipped: selection.skipped, strippedCount: selection.strippedCount, copiedFiles: copied)
    }

    /// The checkpoint file itself: `source`, or `pytorch_model.bin` inside a folder.
    static func checkpointFile(_ source: URL) throws -> URL {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source.path, isDirectory: &isFolder) else {
            throw TorchCheckpointError.unreadable(path: source.path, reason: "no such file or folder")
        }
        guard isFolder.boolValue else { return source }
        let single = source.appendingPathComponent("pytorch_model.bin")
        if FileManager.default.fileExists(atPath: single.path) { return single }
        if FileManager.default.fileExists(atPath: source.appendingPathComponent("pytorch_model.bin.index.json").path) {
            throw TorchCheckpointError.unreadable(
                path: source.path, reason: "the checkpoint is sharded (pytorch_model.bin.index.json); convert each shard file on its own")
        }
        throw TorchCheckpointError.unreadable(path: source.path, reason: "the folder holds no pytorch_model.bin; name the checkpoint file")
    }
}
