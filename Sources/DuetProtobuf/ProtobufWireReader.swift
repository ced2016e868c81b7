/// Just enough of the protocol-buffer wire format to read TensorFlow's `BundleEntryProto` and
/// `TensorShapeProto` and SentencePiece's `ModelProto`: varints, fixed32/64 and length-delimited fields;
/// groups are used by neither and are rejected.
public struct ProtobufWireReader {
    public enum WireError: Error, CustomStringConvertible {
        case truncated, unsupportedWireType(Int), outOfRange(value: UInt64, limit: Int)
        public var description: String {
            switch self {
            case .truncated: "protobuf message ends inside a field"
            case .unsupportedWireType(let type): "protobuf wire type \(type) is not supported"
            case .outOfRange(let value, let limit): "value \(value) exceeds its limit \(limit)"
            }
        }
    }

    /// A decoded field: its number and either an integer value or the bytes of a nested message/string.
    public enum Field {
        case integer(number: Int, value: UInt64)
        case bytes(number: Int, value: ArraySlice<UInt8>)
    }

    private let bytes: ArraySlice<UInt8>
    private var index: Int

    public init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        index = bytes.startIndex
    }

    public var isAtEnd: Bool { index >= bytes.endIndex }

    public mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < bytes.endIndex, shift < 64 else { throw WireError.truncated }
            let byte = bytes[index]
            index += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// A varint that must lie in `0...limit` (a length, offset or count inside a buffer of `limit`
    /// bytes). Checked before converting: release builds are `-Ounchecked`, where an `Int(_:)` of a
    /// value above `Int.max` would be undefined behaviour rather than a trap.
    public mutating func bounded(atMost limit: Int) throws -> Int {
        let value = try varint()
        guard value <= UInt64(max(limit, 0)) else { throw WireError.outOfRange(value: value, limit: limit) }
        return Int(value)
    }

    /// Bytes consumed so far, from the start of the slice.
    public var consumed: Int { index - bytes.startIndex }

    private mutating func fixed(_ count: Int) throws -> UInt64 {
        guard bytes.endIndex - index >= count else { throw WireError.truncated }
        var value: UInt64 = 0
        for offset in 0..<count { value |= UInt64(bytes[index + offset]) << (8 * UInt64(offset)) }
        index += count
        return value
    }

    public mutating func nextField() throws -> Field {
        let key = try varint()
        let number = Int(key >> 3)
        switch Int(key & 7) {
        case 0: return .integer(number: number, value: try varint())
        case 1: return .integer(number: number, value: try fixed(8))
        case 5: return .integer(number: number, value: try fixed(4))
        case 2:
            // The limit must be what remains after the length's own varint, so read that first.
            let length = try varint()
            guard length <= UInt64(bytes.endIndex - index) else {
                throw WireError.outOfRange(value: length, limit: bytes.endIndex - index)
            }
            let start = index
            index += Int(length)
            return .bytes(number: number, value: bytes[start..<index])
        case let type: throw WireError.unsupportedWireType(type)
        }
    }
}
