import CZlib
import Foundation

/// A zip archive read through its central directory (PKWARE APPNOTE 6.3.x, §4.3), as `torch.save` writes
/// checkpoints: the end-of-central-directory record at the end of the file locates the directory, whose
/// records give each entry's name, compression method, sizes, CRC-32 and local header.
///
/// Stored (method 0) and deflate (method 8) entries are read; ZIP64 records and extra fields (§4.3.14-15,
/// §4.5.3) are followed where a size, offset or count does not fit 32 bits, as in checkpoints over 4 GiB.
/// Stored entries are slices of the memory-mapped file, so a large tensor is not copied until it is
/// converted. Every entry is checked against its CRC-32 when read.
struct ZipArchive {
    /// One file in the archive, from its central-directory record.
    struct Entry: Equatable {
        var name: String
        var method: Int
        var flags: Int
        var checksum: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
    }

    let path: String
    /// The entries in directory order.
    let entries: [Entry]
    private let data: Data
    private let index: [String: Int]

    static let localHeaderSignature: UInt32 = 0x0403_4B50
    static let centralHeaderSignature: UInt32 = 0x0201_4B50
    static let endSignature: UInt32 = 0x0605_4B50
    static let zip64EndSignature: UInt32 = 0x0606_4B50
    static let zip64LocatorSignature: UInt32 = 0x0706_4B50

    /// Reads the central directory of `data` (the whole file).
    /// - Throws: `TorchCheckpointError.truncated` when the end record or an entry lies past the end of the
    ///   file, `.malformedZip` for inconsistent records.
    init(data: Data, path: String) throws {
        self.data = data
        self.path = path
        let end = try Self.findEnd(in: data, path: path)
        var entryCount = Int(Self.integer(UInt16.self, in: data, at: end + 10)!)
        var directorySize = Int(Self.integer(UInt32.self, in: data, at: end + 12)!)
        var directoryOffset = Int(Self.integer(UInt32.self, in: data, at: end + 16)!)
        if entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // ZIP64: a 20-byte locator sits just before the end record and points at the ZIP64 end record.
            let locator = end - 20
            guard locator >= 0, Self.integer(UInt32.self, in: data, at: locator) == Self.zip64LocatorSignature,
                  let recordOffset = Self.integer(UInt64.self, in: data, at: locator + 8)
            else { throw TorchCheckpointError.malformedZip(path: path, reason: "ZIP64 sizes without a ZIP64 end-of-directory locator") }
            guard recordOffset <= UInt64(data.count), let record = Int(exactly: recordOffset),
                  Self.integer(UInt32.self, in: data, at: record) == Self.zip64EndSignature,
                  let count = Self.integer(UInt64.self, in: data, at: record + 32),
                  let size = Self.integer(UInt64.self, in: data, at: record + 40),
                  let offset = Self.integer(UInt64.self, in: data, at: record + 48)
            else { throw TorchCheckpointError.malformedZip(path: path, reason: "the ZIP64 end-of-directory record is missing or damaged") }
            guard let count = Int(exactly: count), let size = Int(exactly: size), let offset = Int(exactly: offset) else {
                throw TorchCheckpointError.malformedZip(path: path, reason: "ZIP64 directory fields out of range")
            }
            entryCount = count
            directorySize = size
            directoryOffset = offset
        }
        guard directoryOffset <= data.count, directorySize <= data.count - directoryOffset else {
            throw TorchCheckpointError.truncated(
                path: path, reason: "the central directory (\(directorySize) bytes at offset \(directoryOffset)) lies past the end of the \(data.count)-byte file")
        }
        var entries: [Entry] = []
        var index: [String: Int] = [:]
        var cursor = directoryOffset
        let directoryEnd = directoryOffset + directorySize
        // Each record is at least 46 bytes: a forged count cannot make this loop run past the directory.
        for number in 0..<min(entryCount, directorySize / 46) {
            guard cursor + 46 <= directoryEnd, Self.integer(UInt32.self, in: data, at: cursor) == Self.centralHeaderSignature else {
                throw TorchCheckpointError.malformedZip(path: path, reason: "central-directory record \(number) at offset \(cursor) has no signature")
            }
            let field = { (offset: Int) in Int(Self.integer(UInt16.self, in: data, at: cursor + offset)!) }
            let word = { (offset: Int) in Int(Self.integer(UInt32.self, in: data, at: cursor + offset)!) }
            let nameLength = field(28), extraLength = field(30), commentLength = field(32)
            let recordEnd = cursor + 46 + nameLength + extraLength + commentLength
            guard recordEnd <= directoryEnd else {
                throw TorchCheckpointError.malformedZip(path: path, reason: "central-directory record \(number) overruns the directory")
            }
            let name = String(decoding: data[(cursor + 46)..<(cursor + 46 + nameLength)], as: UTF8.self)
            var entry = Entry(
                name: name, method: field(10), flags: field(8), checksum: UInt32(word(16)), compressedSize: word(20),
                uncompressedSize: word(24), localHeaderOffset: word(42))
            try Self.applyZip64Extra(
                to: &entry, extra: (cursor + 46 + nameLength)..<(cursor + 46 + nameLength + extraLength), in: data, path: path)
            index[name] = entries.count
            entries.append(entry)
            cursor = recordEnd
        }
        guard entries.count == entryCount else {
            throw TorchCheckpointError.malformedZip(path: path, reason: "the directory declares \(entryCount) entries but holds \(entries.count)")
        }
        self.entries = entries
        self.index = index
    }

    /// The entry named `name`, or `nil`.
    func entry(named name: String) -> Entry? { index[name].map { entries[$0] } }

    /// The uncompressed bytes of `entry`: a slice of the mapped file when stored, inflated when deflated.
    /// - Throws: `.truncated` when the data lies past the end of the file, `.unsupportedCompression`,
    ///   `.corruptEntry` when inflating fails or the CRC-32 differs.
    func contents(of entry: Entry) throws -> Data {
        guard entry.flags & 1 == 0 else {
            throw TorchCheckpointError.corruptEntry(path: path, entry: entry.name, reason: "it is encrypted")
        }
        let header = entry.localHeaderOffset
        guard header <= data.count - 30, Self.integer(UInt32.self, in: data, at: header) == Self.localHeaderSignature else {
            if header > data.count - 30 {
                throw TorchCheckpointError.truncated(path: path, reason: "entry '\(entry.name)' starts past the end of the file")
            }
            throw TorchCheckpointError.malformedZip(path: path, reason: "entry '\(entry.name)' has no local header at offset \(header)")
        }
        // The local header's own name and extra lengths place the data; its sizes may be zero (streamed writes).
        let start = header + 30 + Int(Self.integer(UInt16.self, in: data, at: header + 26)!)
            + Int(Self.integer(UInt16.self, in: data, at: header + 28)!)
        guard start <= data.count, entry.compressedSize <= data.count - start else {
            throw TorchCheckpointError.truncated(
                path: path, reason: "entry '\(entry.name)' needs \(entry.compressedSize) bytes from offset \(start), the file has \(data.count)")
        }
        let stored = data[start..<(start + entry.compressedSize)]
        let contents: Data
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else {
                throw TorchCheckpointError.corruptEntry(path: path, entry: entry.name, reason: "stored with different compressed and uncompressed sizes")
            }
            contents = stored
        case 8:
            contents = try inflate(stored, entry: entry)
        default:
            throw TorchCheckpointError.unsupportedCompression(path: path, entry: entry.name, method: entry.method)
        }
        let checksum = Self.checksum(of: contents)
        guard checksum == entry.checksum else {
            throw TorchCheckpointError.corruptEntry(
                path: path, entry: entry.name,
                reason: "CRC-32 \(String(checksum, radix: 16)) differs from the directory's \(String(entry.checksum, radix: 16))")
        }
        return contents
    }

    /// Raw deflate (no zlib or gzip wrapper) into exactly `uncompressedSize` bytes. One spare byte of room
    /// lets a stream that inflates to more than declared show itself.
    private func inflate(_ compressed: Data, entry: Entry) throws -> Data {
        // Deflate cannot shrink data by more than about 1032:1 (RFC 1951's longest match per code); a larger
        // declared size is a forged directory, refused before it is allocated.
        guard entry.uncompressedSize <= compressed.count * 1032 + 1024 else {
            throw TorchCheckpointError.corruptEntry(
                path: path, entry: entry.name,
                reason: "declares \(entry.uncompressedSize) bytes from \(compressed.count) deflated bytes, more than deflate can encode")
        }
        var output = Data(count: entry.uncompressedSize + 1)
        var stream = z_stream()
        // Negative window bits: a raw deflate stream, as zip stores it.
        guard inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw TorchCheckpointError.corruptEntry(path: path, entry: entry.name, reason: "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        var status: Int32 = Z_OK
        compressed.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
            output.withUnsafeMutableBytes { (target: UnsafeMutableRawBufferPointer) in
                // zlib counts in 32-bit words: input and output are handed over in chunks of at most 1 GiB.
                let chunk = 1 << 30
                var consumed = 0
                repeat {
                    if stream.avail_in == 0 && consumed < input.count {
                        let length = min(chunk, input.count - consumed)
                        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: UInt8.self) + consumed)
                        stream.avail_in = uInt(length)
                        consumed += length
                    }
                    let produced = Int(stream.total_out)
                    if stream.avail_out == 0 && produced < target.count {
                        stream.next_out = target.baseAddress!.assumingMemoryBound(to: UInt8.self) + produced
                        stream.avail_out = uInt(min(chunk, target.count - produced))
                    }
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                } while status == Z_OK
            }
        }
        let produced = Int(stream.total_out)
        guard status == Z_STREAM_END, produced == entry.uncompressedSize else {
            let detail = status == Z_STREAM_END || status == Z_BUF_ERROR
                ? "inflates to \(status == Z_STREAM_END ? "" : "at least ")\(produced) bytes, the directory declares \(entry.uncompressedSize)"
                : "zlib: " + (stream.msg.map { String(cString: $0) } ?? "error \(status)")
            throw TorchCheckpointError.corruptEntry(path: path, entry: entry.name, reason: detail)
        }
        output.removeLast()
        return output
    }

    /// CRC-32 (the zip polynomial) through zlib, in chunks its 32-bit length accepts.
    static func checksum(of data: Data) -> UInt32 {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> UInt32 in
            var value = crc32(0, nil, 0)
            var offset = 0
            while offset < raw.count {
                let length = min(1 << 30, raw.count - offset)
                value = crc32(value, raw.baseAddress!.assumingMemoryBound(to: UInt8.self) + offset, uInt(length))
                offset += length
            }
            return UInt32(value)
        }
    }

    /// Finds the end-of-central-directory record: the last signature within the final 22 + 65,535 bytes
    /// (the record plus the longest comment).
    private static func findEnd(in data: Data, path: String) throws -> Int {
        guard data.count >= 22 else {
            throw TorchCheckpointError.truncated(path: path, reason: "\(data.count) bytes cannot hold a zip's end-of-directory record")
        }
        var candidate = data.count - 22
        let lowest = max(0, data.count - 22 - 65_535)
        while candidate >= lowest {
            if integer(UInt32.self, in: data, at: candidate) == endSignature,
               candidate + 22 + Int(integer(UInt16.self, in: data, at: candidate + 20)!) == data.count {
                return candidate
            }
            candidate -= 1
        }
        throw TorchCheckpointError.truncated(
            path: path, reason: "the zip's end-of-central-directory record is missing (the file ends early or was cut)")
    }

    /// Replaces the 32-bit sizes and offset that are all ones by their values in the ZIP64 extra field
    /// (header 0x0001), which lists only the saturated ones, in this order.
    private static func applyZip64Extra(to entry: inout Entry, extra: Range<Int>, in data: Data, path: String) throws {
        let saturated = 0xFFFF_FFFF
        guard entry.uncompressedSize == saturated || entry.compressedSize == saturated || entry.localHeaderOffset == saturated else { return }
        var cursor = extra.lowerBound
        while cursor + 4 <= extra.upperBound {
            let identifier = integer(UInt16.self, in: data, at: cursor)!
            let length = Int(integer(UInt16.self, in: data, at: cursor + 2)!)
            let body = cursor + 4
            guard body + length <= extra.upperBound else { break }
            if identifier == 1 {
                var field = body
                func next() throws -> Int {
                    guard field + 8 <= body + length, let value = integer(UInt64.self, in: data, at: field), let exact = Int(exactly: value) else {
                        throw TorchCheckpointError.malformedZip(path: path, reason: "entry '\(entry.name)' has a short ZIP64 extra field")
                    }
                    field += 8
                    return exact
                }
                if entry.uncompressedSize == saturated { entry.uncompressedSize = try next() }
                if entry.compressedSize == saturated { entry.compressedSize = try next() }
                if entry.localHeaderOffset == saturated { entry.localHeaderOffset = try next() }
                return
            }
            cursor = body + length
        }
        throw TorchCheckpointError.malformedZip(path: path, reason: "entry '\(entry.name)' has ZIP64 sizes but no ZIP64 extra field")
    }

    /// The little-endian integer at `offset`, or `nil` when it does not lie inside `data`.
    static func integer<Value: FixedWidthInteger>(_ type: Value.Type, in data: Data, at offset: Int) -> Value? {
        let width = MemoryLayout<Value>.size
        guard offset >= 0, offset <= data.count - width else { return nil }
        return data.withUnsafeBytes { Value(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: Value.self)) }
    }
}
