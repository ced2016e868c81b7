import DuetTestSupport
import Foundation
import Testing
@testable import DuetWeights

/// The PyTorch checkpoint reader and `CheckpointConversion`, against files the real `torch.save` wrote
/// (`Scripts/reference/torch_pickle_fixture.py`, torch 2.13.0+cpu) and the tensors `safetensors` wrote from
/// the same objects. Conversion is exact (float16 and bfloat16 widen without rounding, float64 is rounded by
/// torch's `.float()` the same way), so values are compared for equality.
@Suite("Torch checkpoints")
struct TorchCheckpointTests {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("duet-torch-\(UUID().uuidString)")

    static func fixture(_ name: String) throws -> URL {
        let folder = try #require(Bundle.module.url(forResource: "torch", withExtension: nil, subdirectory: "Resources"))
        return folder.appendingPathComponent(name)
    }

    /// Converts `name.pt`, reads the written file back with `SafetensorsFile` and compares every tensor, its
    /// type and shape with `expected.expected.safetensors`.
    @discardableResult
    func convertAndCompare(
        _ name: String, expected: String? = nil, key: String? = nil, stripPrefixes: [String] = []
    ) throws -> CheckpointConversion.Summary {
        let folder = output.appendingPathComponent(name)
        let summary = try CheckpointConversion.convert(
            source: try Self.fixture(name + ".pt"), outputFolder: folder, key: key, stripPrefixes: stripPrefixes)
        let written = try SafetensorsFile(url: folder.appendingPathComponent("model.safetensors"))
        let reference = try SafetensorsFile(url: try Self.fixture((expected ?? name) + ".expected.safetensors"))
        #expect(written.names == reference.names)
        for tensorName in reference.names {
            let want = try #require(reference.entries[tensorName]), got = try #require(written.entries[tensorName])
            #expect(got.dataType == want.dataType, "\(name): \(tensorName)")
            #expect(got.shape == want.shape, "\(name): \(tensorName)")
            #expect(try written.tensor(named: tensorName).storage == reference.tensor(named: tensorName).storage, "\(name): \(tensorName)")
        }
        #expect(written.metadata["format"] == "pt")
        return summary
    }

    @Test func stateDictionaryWithTiedWeightsAndPositionBuffer() throws {
        defer { try? FileManager.default.removeItem(at: output) }
        let summary = try convertAndCompare("state_dict")
        #expect(summary.tensorCount == 7)
        #expect(summary.parameterCount == 5 * 4 + 6 + 4 * 3 + 3 + 3 + 3 + 5 * 4)
        #expect(summary.writtenTypes == ["F32": 6, "I64": 1])
        #expect(summary.conversions.isEmpty)
        #expect(summary.sharedStorageTensors == 2)  // embeddings.weight and head.weight
        #expect(summary.key == "")
    }

    @Test func dataTypesViewsAndOffsets() throws {
        defer { try? FileManager.default.removeItem(at: output) }
        let summary = try convertAndCompare("layouts")
        #expect(summary.conversions == ["float16 → float32": 2, "bfloat16 → float32": 1, "float64 → float32": 1])
        #expect(summary.writtenTypes == ["F32": 9, "I64": 1, "I32": 1])
        #expect(summary.sharedStorageTensors == 3)  // transposed, rows_view and column_view view one storage
    }

    @Test func nestedTrainingCheckpointPicksTheStateDictionary() throws {
        defer { try? FileManager.default.removeItem(at: output) }
        let automatic = try convertAndCompare("nested", stripPrefixes: ["module."])
        #expect(automatic.key == "state_dict")
        #expect(automatic.strippedCount == 7)
        let explicit = try convertAndCompare("nested", key: "state_dict", stripPrefixes: ["encoder.", "module."])
        #expect(explicit.key == "state_dict")

        let checkpoint = try TorchCheckpoint(url: try Self.fixture("nested.pt"))
        #expect(try checkpoint.selection().tensors.map(\.name).allSatisfy { $0.hasPrefix("module.") })
        let optimizer = try checkpoint.selection(key: "optimizer/state/0")
        #expect(optimizer.tensors.map(\.name) == ["step", "exp_avg"])
        #expect(throws: TorchCheckpointError.missingSubdictionary(
            path: checkpoint.url.path, key: "model", available: ["epoch", "state_dict", "optimizer", "scheduler", "best", "name"])) {
            try checkpoint.selection(key: "model")
        }
        // The top level holds no tensor itself: everything else is listed as skipped only when chosen.
        let top = try checkpoint.selection(key: "optimizer")
        #expect(top.tensors.map(\.name) == ["state.0.step", "state.0.exp_avg"])
        #expect(top.skipped == ["param_groups"])
    }

    @Test func deflatedAndZip64ArchivesReadAlike() throws {
        defer { try? FileManager.default.removeItem(at: output) }
        try convertAndCompare("deflated", expected: "state_dict")
        try convertAndCompare("zip64", expected: "state_dict")
    }

    @Test func hostilePickleIsRefusedByNameAndNothingRuns() throws {
        let marker = "/tmp/duet-torch-pickle-was-executed"
        try? FileManager.default.removeItem(atPath: marker)
        let url = try Self.fixture("hostile.pt")
        #expect(throws: TorchCheckpointError.refusedGlobal(path: url.path, name: "posix.system", offset: 18)) {
            try TorchCheckpoint(url: url)
        }
        #expect(!FileManager.default.fileExists(atPath: marker))
        let message = TorchCheckpointError.refusedGlobal(path: url.path, name: "posix.system", offset: 18).localizedDescription
        #expect(message.contains("refused global 'posix.system' at offset 18"))
    }

    @Test func damagedAndLegacyFilesNameTheirFault() throws {
        let truncated = try Self.fixture("truncated.pt")
        #expect(throws: TorchCheckpointError.truncated(
            path: truncated.path, reason: "the zip's end-of-central-directory record is missing (the file ends early or was cut)")) {
            try TorchCheckpoint(url: truncated)
        }
        let legacy = try Self.fixture("legacy.pt")
        #expect(throws: TorchCheckpointError.legacyFormat(path: legacy.path)) { try TorchCheckpoint(url: legacy) }
        let opcode = try Self.fixture("unknown_opcode.pt")
        #expect(throws: TorchCheckpointError.unknownOpcode(path: opcode.path, opcode: 0xFF, offset: 13)) { try TorchCheckpoint(url: opcode) }
        let missing = try Self.fixture("missing_storage.pt")
        #expect(throws: TorchCheckpointError.missingStorage(path: missing.path, entry: "archive/data/7")) {
            try TorchCheckpoint(url: missing).selection()
        }
        let outside = try Self.fixture("out_of_bounds.pt")
        #expect(throws: TorchCheckpointError.tensorOutOfBounds(
            path: outside.path, name: "weight", shape: [2, 2], strides: [2, 1], offset: 1, storageCount: 4)) {
            try TorchCheckpoint(url: outside).selection()
        }
        let notZip = try Self.fixture("state_dict.expected.safetensors")
        #expect(throws: TorchCheckpointError.notZip(path: notZip.path)) { try TorchCheckpoint(url: notZip) }
    }

    /// A few bytes of pickle must not make the converter allocate without bound.
    @Test func expandingPicklesAreRefused() throws {
        let broadcast = try Self.fixture("broadcast.pt")  // shape [100000, 100000] with strides [0, 0] over one element
        let checkpoint = try TorchCheckpoint(url: broadcast)
        #expect(throws: TorchCheckpointError.expansionLimit(
            path: broadcast.path, bytes: 40_000_000_000, limit: checkpoint.byteCount * TorchCheckpoint.expansionFactor + (1 << 20))) {
            try checkpoint.selection()
        }
        let shared = try Self.fixture("shared_dictionary.pt")  // {"bias": …, "encoder": d, "decoder": d}
        #expect(throws: TorchCheckpointError.sharedDictionary(path: shared.path, name: "decoder")) {
            try TorchCheckpoint(url: shared).selection()
        }
    }

    @Test func corruptStorageFailsItsChecksum() throws {
        defer { try? FileManager.default.removeItem(at: output) }
        var bytes = [UInt8](try Data(contentsOf: try Self.fixture("state_dict.pt")))
        let archive = try ZipArchive(data: Data(bytes), path: "state_dict.pt")
        let entry = try #require(archive.entry(named: "state_dict/data/0"))
        // The data follows the 30-byte local header, its name and its extra field.
        let nameLength = Int(bytes[entry.localHeaderOffset + 26]) | Int(bytes[entry.localHeaderOffset + 27]) << 8
        let extraLength = Int(bytes[entry.localHeaderOffset + 28]) | Int(bytes[entry.localHeaderOffset + 29]) << 8
        bytes[entry.localHeaderOffset + 30 + nameLength + extraLength] ^= 0x40
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let damaged = output.appendingPathComponent("state_dict.pt")
        try Data(bytes).write(to: damaged)
        let error = #expect(throws: TorchCheckpointError.self) { try TorchCheckpoint(url: damaged).selection() }
        guard case .corruptEntry(_, "state_dict/data/0", let reason)? = error else {
            Issue.record("expected a corrupt entry, got \(String(describing: error))")
            return
        }
        #expect(reason.hasPrefix("CRC-32"))
    }

    @Test func companionFilesAreCopied() throws {
        defer { try? FileManager.default.removeItem(at: output) }
        let source = output.appendingPathComponent("source")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: try Self.fixture("state_dict.pt"), to: source.appendingPathComponent("pytorch_model.bin"))
        try Data(#"{"model_type": "bert"}"#.utf8).write(to: source.appendingPathComponent("config.json"))
        try Data("[PAD]\n[UNK]\n".utf8).write(to: source.appendingPathComponent("vocab.txt"))
        try Data("unrelated".utf8).write(to: source.appendingPathComponent("notes.txt"))
        let target = output.appendingPathComponent("converted")
        let summary = try CheckpointConversion.convert(source: source, outputFolder: target)
        #expect(summary.copiedFiles == ["config.json", "vocab.txt"])
        #expect(try Data(contentsOf: target.appendingPathComponent("config.json")) == Data(#"{"model_type": "bert"}"#.utf8))
        #expect(!FileManager.default.fileExists(atPath: target.appendingPathComponent("notes.txt").path))
        #expect(try SafetensorsFile(url: target.appendingPathComponent("model.safetensors")).names.count == 7)
    }

    @Test func commandLineConvertsAndRefuses() throws {
        defer { try? FileManager.default.removeItem(at: output) }
        let target = output.appendingPathComponent("cli")
        let run = try DuetCommand.run(["convert-weights", try Self.fixture("nested.pt").path, "-o", target.path, "--strip-prefix", "module."])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("7 tensors, 67 values"))
        #expect(run.output.contains("(dictionary 'state_dict')"))
        #expect(try SafetensorsFile(url: target.appendingPathComponent("model.safetensors")).names.contains("dense.weight"))
        let refused = try DuetCommand.run(["convert-weights", try Self.fixture("hostile.pt").path, "-o", target.path])
        #expect(refused.status == 1)
        #expect(refused.error.contains("refused global 'posix.system'"))
    }
}

@Suite("Pickle machine")
struct PickleMachineTests {
    static func run(_ hex: String) throws -> PickleValue {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        var machine = PickleMachine(bytes: bytes, path: "test.pkl", globals: TorchPickleGlobals())
        return try machine.run()
    }

    /// `pickle.dumps({'a': [1, -2, 300, 70000, -(2**40), 3.5, True, False, None, 'x'], (1, 2): 'k', 'a2': 'again'}, protocol=2)`.
    @Test func plainDataOfProtocolTwo() throws {
        let value = try Self.run(
            "80027d71002858010000006171015d7102284b014afeffffff4d2c014a701101008a060000000000ff47400c00000000000088894e58010000007871"
                + "03654b014b0286710458010000006b71055802000000613271065805000000616761696e7107752e")
        guard case .dictionary(let dictionary) = value, case .list(let list)? = dictionary.value(for: "a") else {
            Issue.record("not a dict holding a list: \(value.kind)")
            return
        }
        #expect(dictionary.count == 3)
        #expect(list.items.map(\.nameComponent) == ["1", "-2", "300", "70000", "\(-(1 << 40))", "3.5", "True", "False", "None", "x"])
        guard case .string("again")? = dictionary.value(for: "a2") else { Issue.record("a2"); return }
    }

    /// `pickle.dumps(collections.OrderedDict(a=1), protocol=4)`: FRAME, MEMOIZE, STACK_GLOBAL.
    @Test func protocolFourOpcodes() throws {
        let value = try Self.run("80049529000000000000008c0b636f6c6c656374696f6e73948c0b4f726465726564446963749493942952948c0161944b01732e")
        guard case .dictionary(let dictionary) = value, case .integer(1)? = dictionary.value(for: "a") else {
            Issue.record("not OrderedDict(a=1): \(value.kind)")
            return
        }
    }

    /// Protocol 2 pickles bytes as a call of `_codecs.encode`, which a state dict never needs: refused.
    @Test func globalsOutsideTheWhitelistAreRefused() throws {
        #expect(throws: TorchCheckpointError.refusedGlobal(path: "test.pkl", name: "_codecs.encode", offset: 2)) {
            try Self.run("8002635f636f646563730a656e636f64650a7100580100000001710158060000006c6174696e3171028671035271042e")
        }
        // Whitelisted names are only names: calling a storage class is refused too.
        #expect(throws: TorchCheckpointError.malformedPickle(path: "test.pkl", offset: 23, reason: "torch.FloatStorage is a name, not a function Duet calls")) {
            try Self.run("8002" + "63746f7263680a466c6f617453746f726167650a" + "2952" + "2e")
        }
    }

    @Test func malformedStreamsNameTheirOffset() throws {
        #expect(throws: TorchCheckpointError.malformedPickle(path: "test.pkl", offset: 2, reason: "the stack is empty")) {
            try Self.run("80022e")
        }
        #expect(throws: TorchCheckpointError.malformedPickle(path: "test.pkl", offset: 7, reason: "needs 5 more bytes, 0 remain (truncated)")) {
            try Self.run("80025805000000")  // BINUNICODE's length is read, then its 5 bytes are missing
        }
        #expect(throws: TorchCheckpointError.malformedPickle(path: "test.pkl", offset: 2, reason: "memo entry 9 was never stored")) {
            try Self.run("800268092e")
        }
        #expect(throws: TorchCheckpointError.malformedPickle(path: "test.pkl", offset: 3, reason: "the pickle ends without STOP")) {
            try Self.run("80024e")
        }
    }
}
