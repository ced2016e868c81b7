import DuetTensor
import Foundation

/// A safetensors file: an 8-byte little-endian header length, a JSON header mapping each name to
/// `{dtype, shape, data_offsets}` (plus an optional `__metadata__` string map), then the raw
/// little-endian data. Format as documented by Hugging Face's `safetensors`.
///
/// Reading maps the file; tensors are converted to Float32 on access (F32, F16 and BF16 are read,
/// I64/I32 too for index buffers such as BERT's `position_ids`).
public struct SafetensorsFile: Sendable {
    public struct Entry: Sendable, Equatable {
        public let dataType: String
        public let shape: [Int]
        public let byteRange: Range<Int>
    }

    public let url: URL
    public let entries: [String: Entry]
    public let metadata: [String: String]
    private let data: Data
    private let dataStart: Int

    /// Opens and validates the header of `url`.
    public init(url: URL) throws {
        self.url = url
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw WeightsError.missingFile(path: url.path, hint: "Check the path, or run `make setup` for the bundled encoders.")
        }
        // Checked before mapping: Foundation leaks a page when asked to map an empty file (found by fuzzing).
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        guard size >= 8 else { throw WeightsError.malformed(path: url.path, reason: "shorter than its 8-byte header length (\(size) bytes)") }
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw WeightsError.malformed(path: url.path, reason: error.localizedDescription)
        }
        guard data.count >= 8 else { throw WeightsError.malformed(path: url.path, reason: "shorter than its 8-byte header length") }
        let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(data.count - 8) else {
            throw WeightsError.malformed(path: url.path, reason: "header length \(headerLength) exceeds the file size \(data.count)")
        }
        let header = data.subdata(in: 8..<(8 + Int(headerLength)))
        guard let json = try? JSONSerialization.jsonObject(with: header) as? [String: Any] else {
            throw WeightsError.malformed(path: url.path, reason: "header is not a JSON object")
        }
        let dataStart = 8 + Int(headerLength)
        var entries: [String: Entry] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in json {
            if name == "__metadata__" {
                metadata = (value as? [String: String]) ?? [:]
                continue
            }
            guard let fields = value as? [String: Any], let dataType = fields["dtype"] as? String,
                  let shape = (fields["shape"] as? [NSNumber])?.map(\.intValue),
                  let offsets = (fields["data_offsets"] as? [NSNumber])?.map(\.intValue), offsets.count == 2
            else { throw WeightsError.malformed(path: url.path, reason: "entry '\(name)' lacks dtype, shape or data_offsets") }
            guard let width = Self.byteWidth(of: dataType) else {
                throw WeightsError.unsupportedDataType(name: name, dataType: dataType, path: url.path)
            }
            // Every size is checked with overflow detection: release builds use -Ounchecked, where an
            // overflowing product would be undefined behaviour rather than a trap.
            var byteCount: Int? = width
            for dimension in shape {
                guard dimension >= 0, let count = byteCount else { byteCount = nil; break }
                let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
                byteCount = overflow ? nil : product
            }
            guard let byteCount else {
                throw WeightsError.malformed(path: url.path, reason: "entry '\(name)' has an invalid shape \(shape)")
            }
            let dataLength = data.count - dataStart
            guard offsets[0] >= 0, offsets[1] >= offsets[0], offsets[1] <= dataLength, offsets[1] - offsets[0] == byteCount else {
                throw WeightsError.malformed(path: url.path, reason: "entry '\(name)' has data offsets \(offsets) that do not fit shape \(shape) \(dataType) in the \(dataLength) data bytes")
            }
            entries[name] = Entry(dataType: dataType, shape: shape, byteRange: offsets[0]..<offsets[1])
        }
        // The format lays tensors side by side: two entries sharing bytes mean a damaged or forged header.
        let ordered = entries.sorted { ($0.value.byteRange.lowerBound, $0.key) < ($1.value.byteRange.lowerBound, $1.key) }
        for (previous, next) in zip(ordered, ordered.dropFirst())
        where next.value.byteRange.lowerBound < previous.value.byteRange.upperBound && !next.value.byteRange.isEmpty {
            throw WeightsError.malformed(
                path: url.path,
                reason: "entries '\(previous.key)' (bytes \(previous.value.byteRange)) and '\(next.key)' (bytes \(next.value.byteRange)) overlap")
        }
        self.entries = entries
        self.metadata = metadata
        self.data = data
        self.dataStart = dataStart
    }

    /// Every tensor name, sorted.
    public var names: [String] { entries.keys.sorted() }

    /// The shape of `name`, or `nil` when absent.
    public func shape(of name: String) -> [Int]? { entries[name]?.shape }

    /// The tensor `name` as Float32.
    /// - Parameter expectedShape: when given, a different shape throws `shapeMismatch`.
    public func tensor(named name: String, expectedShape: [Int]? = nil) throws -> Tensor {
        guard let entry = entries[name] else { throw WeightsError.missingKey(name: name, path: url.path) }
        if let expectedShape, expectedShape != entry.shape {
            throw WeightsError.shapeMismatch(name: name, expected: expectedShape, found: entry.shape, path: url.path)
        }
        let values = values(of: entry)
        // A NaN or infinite weight would make every output NaN while evaluation still prints numbers.
        if entry.dataType.hasPrefix("F") || entry.dataType == "BF16", let index = values.firstIndex(where: { !$0.isFinite }) {
            throw WeightsError.nonFinite(name: name, index: index, value: values[index], path: url.path)
        }
        return Tensor(values, shape: entry.shape)
    }

    /// The values of exactly the tensors `expected` lists (names and shapes), in its order: a missing,
    /// mis-shaped or non-finite one throws as `tensor(named:expectedShape:)` does, and any other key in
    /// the file throws `unexpectedKeys`. For state files that must match their owner exactly.
    public func exactTensorValues(_ expected: [(name: String, shape: [Int])]) throws -> [[Float]] {
        let values = try expected.map { try tensor(named: $0.name, expectedShape: $0.shape).storage }
        let known = Set(expected.map(\.name))
        let extra = names.filter { !known.contains($0) }
        if !extra.isEmpty { throw WeightsError.unexpectedKeys(names: extra, path: url.path) }
        return values
    }

    private func values(of entry: Entry) -> [Float] {
        let count = entry.shape.reduce(1, *)
        let start = dataStart + entry.byteRange.lowerBound
        return data.withUnsafeBytes { raw -> [Float] in
            let base = raw.baseAddress! + start
            switch entry.dataType {
            case "F32":
                return (0..<count).map { Float(bitPattern: base.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self).littleEndian) }
            case "F16":
                return (0..<count).map { Float(Float16(bitPattern: base.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self).littleEndian)) }
            case "BF16":
                return (0..<count).map { Float(bitPattern: UInt32(base.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self).littleEndian) << 16) }
            case "I64":
                return (0..<count).map { Float(Int64(littleEndian: base.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self))) }
            case "I32":
                return (0..<count).map { Float(Int32(littleEndian: base.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self))) }
            default:
                preconditionFailure("data type \(entry.dataType) was accepted by the header check but not converted")
            }
        }
    }

    static func byteWidth(of dataType: String) -> Int? {
        switch dataType {
        case "F32", "I32": 4
        case "F16", "BF16": 2
        case "I64": 8
        default: nil
        }
    }
}

/// Writing safetensors files.
public enum Safetensors {
    /// One tensor as written: a safetensors data type (`F32`, `F16`, `BF16`, `I64`, `I32`), a shape and the
    /// row-major little-endian bytes (`bytes.count` = element count × the type's width).
    public struct Record: Sendable {
        public var name: String
        public var dataType: String
        public var shape: [Int]
        public var bytes: Data

        public init(name: String, dataType: String, shape: [Int], bytes: Data) {
            self.name = name
            self.dataType = dataType
            self.shape = shape
            self.bytes = bytes
        }
    }

    /// Writes `tensors` as F32 (or F16 when `halfPrecision`) with sorted names and 8-byte aligned
    /// data, atomically: a temporary file in the same folder is written, synced and renamed, so a
    /// killed process leaves either the old file or the new one, never a torn one.
    public static func write(
        _ tensors: [String: Tensor], to url: URL, metadata: [String: String] = [:], halfPrecision: Bool = false
    ) throws {
        let records = tensors.map { name, tensor in
            let bytes: Data
            if halfPrecision {
                let halves = tensor.storage.map { Float16($0).bitPattern.littleEndian }
                bytes = halves.withUnsafeBytes { Data($0) }
            } else {
                let words = tensor.storage.map { $0.bitPattern.littleEndian }
                bytes = words.withUnsafeBytes { Data($0) }
            }
            return Record(name: name, dataType: halfPrecision ? "F16" : "F32", shape: tensor.shape, bytes: bytes)
        }
        try write(records, to: url, metadata: metadata)
    }

    /// Writes `records` with sorted names and 8-byte aligned data, atomically (as above). Every data type
    /// is one the reader accepts, so that what Duet writes it can read back.
    /// - Throws: `WeightsError.writeFailed` for a record whose type is unknown, whose byte count does not
    ///   fit its shape or whose name repeats, and when the file cannot be written.
    public static func write(_ records: [Record], to url: URL, metadata: [String: String] = [:]) throws {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        let ordered = records.sorted { $0.name < $1.name }
        for (record, next) in zip(ordered, ordered.dropFirst()) where record.name == next.name {
            throw WeightsError.writeFailed(path: url.path, reason: "two tensors are named '\(record.name)'")
        }
        for record in ordered {
            guard let width = SafetensorsFile.byteWidth(of: record.dataType), record.shape.allSatisfy({ $0 >= 0 }),
                  record.shape.reduce(width, *) == record.bytes.count
            else {
                throw WeightsError.writeFailed(
                    path: url.path,
                    reason: "tensor '\(record.name)' has \(record.bytes.count) bytes, which do not fill shape \(record.shape) of \(record.dataType)")
            }
            header[record.name] = ["dtype": record.dataType, "shape": record.shape, "data_offsets": [offset, offset + record.bytes.count]]
            offset += record.bytes.count
        }
        var headerData = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while (8 + headerData.count) % 8 != 0 { headerData.append(0x20) }
        var file = Data(capacity: 8 + headerData.count + offset)
        withUnsafeBytes(of: UInt64(headerData.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(headerData)
        for record in ordered { file.append(record.bytes) }
        try AtomicFile.write(file, to: url)
    }
}
