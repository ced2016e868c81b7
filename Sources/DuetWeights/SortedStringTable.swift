import DuetProtobuf

/// Reader for the LevelDB table format TensorFlow uses for a checkpoint's `.index` file.
///
/// Layout: data blocks, a meta-index block and an index block, then a 48-byte footer holding the
/// meta-index and index block handles (varint offset and size) and the magic `0xdb4775248b80fb57`.
/// A block is a run of prefix-compressed entries (`shared`, `unshared`, `valueLength` varints, the key
/// suffix, the value) followed by `uint32` restart offsets and their count, then a 5-byte trailer
/// (compression type, masked CRC-32C). TensorFlow writes uncompressed blocks; others are rejected.
struct SortedStringTable {
    static let magic: UInt64 = 0xdb47_7524_8b80_fb57

    struct FormatError: Error, CustomStringConvertible { let description: String }

    /// Every key-value pair, in key order.
    let entries: [(key: String, value: ArraySlice<UInt8>)]

    init(bytes: [UInt8]) throws {
        guard bytes.count >= 48 else { throw FormatError(description: "file of \(bytes.count) bytes is shorter than the 48-byte footer") }
        let footer = bytes[(bytes.count - 48)...]
        let storedMagic = (0..<8).reduce(UInt64(0)) { $0 | UInt64(footer[footer.endIndex - 8 + $1]) << (8 * UInt64($1)) }
        guard storedMagic == Self.magic else {
            throw FormatError(description: "magic \(String(storedMagic, radix: 16)) instead of \(String(Self.magic, radix: 16))")
        }
        var reader = ProtobufWireReader(footer)
        _ = try reader.varint()  // meta-index offset
        _ = try reader.varint()  // meta-index size
        let indexOffset = try reader.bounded(atMost: bytes.count)
        let indexSize = try reader.bounded(atMost: bytes.count)
        var entries: [(key: String, value: ArraySlice<UInt8>)] = []
        for handle in try Self.blockEntries(bytes, offset: indexOffset, size: indexSize) {
            var handleReader = ProtobufWireReader(handle.value)
            let offset = try handleReader.bounded(atMost: bytes.count)
            let size = try handleReader.bounded(atMost: bytes.count)
            for entry in try Self.blockEntries(bytes, offset: offset, size: size) {
                entries.append((String(decoding: entry.key, as: UTF8.self), entry.value))
            }
        }
        self.entries = entries
    }

    private static func blockEntries(_ bytes: [UInt8], offset: Int, size: Int) throws -> [(key: [UInt8], value: ArraySlice<UInt8>)] {
        // offset and size are each at most bytes.count (bounded varints), so these sums cannot overflow.
        guard offset >= 0, size >= 4, size <= bytes.count, offset + size + 5 <= bytes.count else {
            throw FormatError(description: "block at \(offset) of \(size) bytes lies outside the file")
        }
        guard bytes[offset + size] == 0 else {
            throw FormatError(description: "block at \(offset) is compressed (type \(bytes[offset + size])); only uncompressed blocks are supported")
        }
        let storedCRC = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + size + 1 + $1]) << (8 * UInt32($1)) }
        let computedCRC = bytes.withUnsafeBytes { CRC32C.mask(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + size + 1)]))) }
        guard storedCRC == computedCRC else { throw FormatError(description: "block at \(offset) fails its CRC-32C check") }
        let block = bytes[offset..<(offset + size)]
        let restartCount = Int((0..<4).reduce(UInt32(0)) { $0 | UInt32(block[block.endIndex - 4 + $1]) << (8 * UInt32($1)) })
        guard restartCount <= (size - 4) / 4 else { throw FormatError(description: "block at \(offset) has \(restartCount) restarts, more than fit") }
        let dataEnd = block.endIndex - 4 - 4 * restartCount
        guard dataEnd >= block.startIndex else { throw FormatError(description: "block at \(offset) has \(restartCount) restarts, more than fit") }
        var reader = ProtobufWireReader(block[block.startIndex..<dataEnd])
        var entries: [(key: [UInt8], value: ArraySlice<UInt8>)] = []
        var key: [UInt8] = []
        var position = block.startIndex
        while position < dataEnd {
            reader = ProtobufWireReader(block[position..<dataEnd])
            let available = dataEnd - position
            let shared = try reader.bounded(atMost: available + key.count)
            let unshared = try reader.bounded(atMost: available)
            let valueLength = try reader.bounded(atMost: available)
            let keyStart = position + reader.consumed
            guard shared <= key.count, keyStart + unshared + valueLength <= dataEnd else {
                throw FormatError(description: "entry at \(position) overruns its block")
            }
            key = Array(key[0..<shared]) + Array(block[keyStart..<(keyStart + unshared)])
            entries.append((key, block[(keyStart + unshared)..<(keyStart + unshared + valueLength)]))
            position = keyStart + unshared + valueLength
        }
        return entries
    }
}
