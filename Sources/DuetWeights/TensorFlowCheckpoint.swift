import DuetProtobuf
import DuetTensor
import Foundation

/// A TensorFlow checkpoint (format V2, a "tensor bundle") read directly, without TensorFlow.
///
/// `prefix.index` is a LevelDB table (see `SortedStringTable`) mapping each variable name to a
/// `BundleEntryProto` (dtype = 1, shape = 2, shard_id = 3, offset = 4, size = 5, crc32c = 6); the
/// empty key holds the bundle header. `prefix.data-00000-of-00001` holds the raw little-endian
/// tensor bytes. Every tensor read is checked against its masked CRC-32C.
///
/// musicnn's checkpoints have an empty file-name prefix (`MTT_musicnn/.index`), so `prefix` is
/// the directory followed by `/`; `init(directory:)` handles that.
public struct TensorFlowCheckpoint: Sendable {
    /// One stored variable.
    public struct Entry: Sendable, Equatable {
        public var name: String
        /// TensorFlow `DataType` enum value (`DT_FLOAT` = 1).
        public var dataType: Int
        public var shape: [Int]
        public var shard: Int
        public var offset: Int
        public var size: Int
        public var maskedCRC32C: UInt32
    }

    /// The path prefix the `.index` and `.data-*` files share.
    public let prefix: String
    /// All stored variables by name (model parameters and optimiser slots).
    public let entries: [String: Entry]
    private let data: Data
    private var dataPath: String { prefix + ".data-00000-of-00001" }

    /// Names of the variables inference needs: everything except optimiser state (Adam moments
    /// `*/Adam`, `*/Adam_1`, the `beta1_power`/`beta2_power` accumulators, momentum slots and the step counter).
    public var parameterNames: [String] {
        entries.keys.filter { !Self.isOptimiserSlot($0) }.sorted()
    }

    static func isOptimiserSlot(_ name: String) -> Bool {
        let last = name.split(separator: "/").last.map(String.init) ?? name
        return last.hasPrefix("Adam") || last.hasPrefix("Momentum") || last == "beta1_power" || last == "beta2_power"
            || last == "global_step"
    }

    /// Opens the checkpoint stored in `directory` under `name` (musicnn: the empty name).
    public init(directory: URL, name: String = "") throws(WeightsError) {
        try self.init(prefix: directory.path + "/" + name)
    }

    /// Opens `prefix.index` and `prefix.data-00000-of-00001`.
    public init(prefix: String) throws(WeightsError) {
        self.prefix = prefix
        let indexPath = prefix + ".index"
        let dataPath = prefix + ".data-00000-of-00001"
        for path in [indexPath, dataPath] where !FileManager.default.fileExists(atPath: path) {
            throw .missingFile(
                path: path, hint: "Run `make setup` to unpack the musicnn weights into \(ModelCache.directory.path) (or set DUET_MODELS).")
        }
        // Checked before reading: Foundation leaks a 4096-byte buffer when it reads an empty file (found by
        // fuzzing), and an empty index is not a checkpoint anyway.
        let indexSize = (try? FileManager.default.attributesOfItem(atPath: indexPath)[.size] as? Int) ?? 0
        guard indexSize > 0 else { throw .malformed(path: indexPath, reason: "the index file is empty") }
        let indexBytes: [UInt8]
        do {
            indexBytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: indexPath)))
            data = try Data(contentsOf: URL(fileURLWithPath: dataPath), options: .alwaysMapped)
        } catch {
            throw .malformed(path: indexPath, reason: "cannot read the checkpoint files: \(error.localizedDescription)")
        }
        do {
            let table = try SortedStringTable(bytes: indexBytes)
            var entries: [String: Entry] = [:]
            for (key, value) in table.entries where !key.isEmpty {
                entries[key] = try Self.parseEntry(name: key, value)
            }
            self.entries = entries
        } catch {
            throw .malformed(path: indexPath, reason: "not a TensorFlow tensor-bundle index: \(error)")
        }
    }

    private static func parseEntry(name: String, _ bytes: ArraySlice<UInt8>) throws -> Entry {
        var entry = Entry(name: name, dataType: 0, shape: [], shard: 0, offset: 0, size: 0, maskedCRC32C: 0)
        var reader = ProtobufWireReader(bytes)
        while !reader.isAtEnd {
            switch try reader.nextField() {
            // Values are clamped into Int's range without trapping (release builds are -Ounchecked);
            // offsets, sizes and shapes are range-checked against the data file before any read.
            case .integer(1, let value): entry.dataType = Int(clamping: value)
            case .bytes(2, let shape): entry.shape = try parseShape(shape)
            case .integer(3, let value): entry.shard = Int(clamping: value)
            case .integer(4, let value): entry.offset = Int(clamping: value)
            case .integer(5, let value): entry.size = Int(clamping: value)
            case .integer(6, let value): entry.maskedCRC32C = UInt32(truncatingIfNeeded: value)
            default: break  // slices (7) and unknown fields: not used by musicnn
            }
        }
        return entry
    }

    /// `TensorShapeProto`: repeated `dim` (2) messages whose `size` is field 1.
    private static func parseShape(_ bytes: ArraySlice<UInt8>) throws -> [Int] {
        var shape: [Int] = []
        var reader = ProtobufWireReader(bytes)
        while !reader.isAtEnd {
            if case .bytes(2, let dimension) = try reader.nextField() {
                var dimensionReader = ProtobufWireReader(dimension)
                var size = 0
                while !dimensionReader.isAtEnd {
                    if case .integer(1, let value) = try dimensionReader.nextField() { size = Int(Int64(bitPattern: value)) }
                }
                shape.append(size)
            }
        }
        return shape
    }

    /// The values of a float32 variable, row-major in TensorFlow's shape order, CRC-checked.
    public func floats(named name: String) throws(WeightsError) -> [Float] {
        guard let entry = entries[name] else { throw .missingKey(name: name, path: prefix + ".index") }
        guard entry.dataType == 1 else { throw .unsupportedDataType(name: name, dataType: "TensorFlow DataType \(entry.dataType) (only DT_FLOAT = 1 is read)", path: prefix + ".index") }
        var count = 1
        for dimension in entry.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard dimension >= 0, !overflow, product <= data.count else {
                throw .malformed(path: prefix + ".index", reason: "tensor '\(name)' has an impossible shape \(entry.shape)")
            }
            count = product
        }
        guard entry.shard == 0 else { throw .malformed(path: dataPath, reason: "tensor '\(name)' is stored in shard \(entry.shard); only single-shard bundles are supported") }
        guard entry.size == count * 4 else {
            throw .malformed(path: dataPath, reason: "tensor '\(name)' has \(entry.size) bytes for shape \(entry.shape) (\(count) float32 values)")
        }
        guard entry.offset >= 0, entry.offset <= data.count, entry.size <= data.count - entry.offset else {
            throw .malformed(path: dataPath, reason: "tensor '\(name)' of \(entry.size) bytes at offset \(entry.offset) lies outside the \(data.count)-byte file")
        }
        return try data.withUnsafeBytes { raw in
            let bytes = UnsafeRawBufferPointer(rebasing: raw[entry.offset..<(entry.offset + entry.size)])
            let computed = CRC32C.mask(CRC32C.checksum(bytes))
            guard computed == entry.maskedCRC32C else {
                return Result<[Float], WeightsError>.failure(.checksumMismatch(name: name, path: dataPath))
            }
            return .success((0..<count).map {
                Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
            })
        }.get()
    }

    /// The variable as a `Tensor` of its stored shape (a scalar becomes shape `[]`).
    public func tensor(named name: String) throws(WeightsError) -> Tensor {
        let values = try floats(named: name)
        return Tensor(values, shape: entries[name]?.shape ?? [values.count])
    }
}
