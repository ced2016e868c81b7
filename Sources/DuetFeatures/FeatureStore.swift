import DuetWeights
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An append-only, crash-tolerant store of locked-encoder features, one file per encoder version.
///
/// Each record is `magic, key, rank, extents..., payload byte count, payload (Float16), checksum`,
/// little-endian. Opening the store scans every record: a record whose checksum fails is ignored
/// (its key will be recomputed), and a torn record at the end — a process killed while appending —
/// is cut off, so every complete record before it survives. Features are stored in half precision:
/// the projection heads see the same values at every epoch, and the cache halves in size.
///
/// Keys are `ContentHash`es of the input (file bytes or caption text) and the encoder settings, so a
/// changed input gets a new key and stale records are simply never read.
public final class FeatureStore: @unchecked Sendable {
    public struct Record: Sendable {
        public let shape: [Int]
        let payloadOffset: Int
        let payloadCount: Int
    }

    public let url: URL
    private(set) var index: [UInt64: Record] = [:]
    private var mapped: MappedFile
    private var handle: FileHandle
    private var endOffset: Int
    /// Where the indexed (mapped) records end; records after it are in `pending`.
    private var indexedEnd = 0
    private var pending: [UInt64: (values: [Float], shape: [Int])] = [:]
    private let lock = NSLock()
    /// Records skipped because their checksum failed, and bytes cut from a torn tail, at open.
    public private(set) var corruptRecordCount = 0
    public private(set) var truncatedByteCount = 0
    /// Bytes passed over between a damaged record header and the next intact record, at open.
    public private(set) var skippedByteCount = 0

    static let magic: UInt32 = 0x4446_5331  // "DFS1"

    /// Opens (creating when absent) the store at `url`.
    public init(url: URL) throws {
        self.url = url
        let manager = FileManager.default
        try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !manager.fileExists(atPath: url.path) {
            guard manager.createFile(atPath: url.path, contents: nil) else {
                throw WeightsError.writeFailed(path: url.path, reason: "cannot create the feature store")
            }
        }
        mapped = try MappedFile(url: url)
        handle = try FileHandle(forUpdating: url)
        endOffset = 0
        try scanRecords(from: 0)
        endOffset = indexedEnd
    }

    deinit { try? handle.close() }

    public var count: Int { lock.withLock { index.count + pending.keys.count { index[$0] == nil } } }

    public func contains(_ key: ContentHash) -> Bool { lock.withLock { index[key.value] != nil || pending[key.value] != nil } }

    /// The features stored under `key`, as Float32, or nil.
    public func features(for key: ContentHash) -> (values: [Float], shape: [Int])? {
        lock.withLock {
            if let waiting = pending[key.value] { return waiting }
            guard let record = index[key.value] else { return nil }
            let base = mapped.bytes.baseAddress! + record.payloadOffset
            let values = (0..<record.payloadCount).map {
                Float(Float16(bitPattern: UInt16(littleEndian: base.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self))))
            }
            return (values, record.shape)
        }
    }

    /// Appends `values` of `shape` under `key`. The record is readable at once; it is durable
    /// after the next `flush()` (call it every few hundred records and at the end of a pass).
    public func store(_ values: [Float], shape: [Int], for key: ContentHash) throws {
        precondition(values.count == shape.reduce(1, *), "\(values.count) values for shape \(shape)")
        var record = Data()
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { record.append(contentsOf: $0) } }
        append(Self.magic)
        append(key.value)
        append(UInt32(shape.count))
        for extent in shape { append(UInt32(extent)) }
        append(UInt64(values.count * 2))
        let halves = values.map { Float16($0).bitPattern.littleEndian }
        halves.withUnsafeBytes { record.append(contentsOf: $0) }
        var checksum = ContentHash()
        record.withUnsafeBytes { checksum.combine($0) }
        append(checksum.value)

        try lock.withLock {
            try handle.seek(toOffset: UInt64(endOffset))
            try handle.write(contentsOf: record)
            endOffset += record.count
            // Rounded through Float16 so a read before and after `flush()` gives the same values.
            pending[key.value] = (halves.map { Float(Float16(bitPattern: UInt16(littleEndian: $0))) }, shape)
        }
    }

    /// Makes every stored record durable and readable from the mapped file.
    public func flush() throws {
        try lock.withLock {
            guard !pending.isEmpty else { return }
            try handle.synchronize()
            mapped = try MappedFile(url: url)
            pending.removeAll()
            try scanRecords(from: indexedEnd)
        }
    }

    /// What opening the store found damaged, for the user ("" when nothing was).
    public var damageReport: String {
        var parts: [String] = []
        if corruptRecordCount > 0 {
            parts.append("\(corruptRecordCount) damaged record\(corruptRecordCount == 1 ? "" : "s") skipped (their features will be recomputed)")
        }
        if skippedByteCount > 0 { parts.append("\(skippedByteCount) unreadable bytes passed over to the next intact record") }
        if truncatedByteCount > 0 { parts.append("a torn tail of \(truncatedByteCount) bytes cut (an interrupted write)") }
        return parts.isEmpty ? "" : "\(url.path): " + parts.joined(separator: "; ")
    }

    /// A record parsed at some offset: its key and layout, where it ends, and whether its checksum holds.
    private struct ParsedRecord {
        let key: UInt64
        let record: Record
        let end: Int
        let intact: Bool
    }

    /// Parses the record at `offset`; nil when no structurally valid record starts there (bad magic,
    /// impossible shape, or extending past the end of the file).
    private func parseRecord(at offset: Int, in raw: UnsafeRawBufferPointer) -> ParsedRecord? {
        let total = raw.count
        func read<T: FixedWidthInteger>(_ type: T.Type, at position: Int) -> T? {
            guard position >= 0, position <= total - MemoryLayout<T>.size else { return nil }
            return T(littleEndian: raw.loadUnaligned(fromByteOffset: position, as: T.self))
        }
        guard read(UInt32.self, at: offset) == Self.magic, let key = read(UInt64.self, at: offset + 4),
              let rank = read(UInt32.self, at: offset + 12), rank <= 8 else { return nil }
        var position = offset + 16
        var shape: [Int] = []
        var elementCount = 1
        for _ in 0..<rank {
            guard let extent = read(UInt32.self, at: position) else { return nil }
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: Int(extent))
            guard !overflow, product <= total else { return nil }
            elementCount = product
            shape.append(Int(extent))
            position += 4
        }
        guard let byteCount = read(UInt64.self, at: position), byteCount == UInt64(elementCount * 2),
              position + 8 + elementCount * 2 + 8 <= total else { return nil }
        let payloadStart = position + 8
        let checksumPosition = payloadStart + elementCount * 2
        var checksum = ContentHash()
        checksum.combine(UnsafeRawBufferPointer(rebasing: raw[offset..<checksumPosition]))
        return ParsedRecord(
            key: key, record: Record(shape: shape, payloadOffset: payloadStart, payloadCount: elementCount),
            end: checksumPosition + 8, intact: read(UInt64.self, at: checksumPosition) == checksum.value)
    }

    /// Indexes the records of the mapped file from `start`. A damaged record header does not lose the
    /// records after it: the scan resynchronises on the next intact record (magic, sane layout and a
    /// matching checksum). Only bytes after the last intact record, a torn tail, are cut off.
    private func scanRecords(from start: Int) throws {
        let raw = mapped.bytes
        let total = raw.count
        var offset = start
        var validEnd = start
        while offset < total {
            if let parsed = parseRecord(at: offset, in: raw) {
                if parsed.intact {
                    index[parsed.key] = parsed.record
                } else {
                    corruptRecordCount += 1
                }
                offset = parsed.end
                validEnd = offset
                continue
            }
            var next = offset + 1
            while next < total, !(parseRecord(at: next, in: raw)?.intact ?? false) { next += 1 }
            guard next < total else { break }
            corruptRecordCount += 1
            skippedByteCount += next - offset
            offset = next
        }
        if validEnd < total {
            truncatedByteCount += total - validEnd
            try handle.truncate(atOffset: UInt64(validEnd))
            try handle.synchronize()
            mapped = try MappedFile(url: url)
        }
        indexedEnd = validEnd
    }
}
