import Foundation

/// How catalogues store a vector: little-endian float32, 4 bytes per dimension (SQLite's blob and
/// PostgreSQL's bytea hold the same bytes, so vectors round-trip bit for bit on both).
public enum VectorBytes {
    public static func encode(_ vector: [Float]) -> Data {
        var data = Data(capacity: vector.count * 4)
        for value in vector { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    /// The floats of `bytes`, whose count must be a multiple of 4 (callers check and report).
    public static func decode(_ bytes: Data) -> [Float] {
        bytes.withUnsafeBytes { raw in
            (0..<(raw.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }
}
