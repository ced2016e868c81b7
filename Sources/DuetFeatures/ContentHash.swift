/// A 64-bit FNV-1a content hash, used to key cached features by their input and encoder.
///
/// FNV-1a (Fowler, Noll, Vo) is not cryptographic; it is used here to detect changed inputs and
/// corrupt records, where its collision rate (about n²/2⁶⁵ for n keys) is negligible.
public struct ContentHash: Hashable, Sendable, CustomStringConvertible {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public init(_ text: String) { self.init(); combine(text) }

    public mutating func combine<Bytes: Sequence>(bytes: Bytes) where Bytes.Element == UInt8 {
        var hash = value
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        value = hash
    }

    public mutating func combine(_ raw: UnsafeRawBufferPointer) {
        var hash = value
        for byte in raw {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        value = hash
    }

    /// Mixes a string and a separator so that ("ab", "c") and ("a", "bc") differ.
    public mutating func combine(_ text: String) {
        combine(bytes: text.utf8)
        combine(bytes: [0xff])
    }

    public mutating func combine(_ number: UInt64) {
        withUnsafeBytes(of: number.littleEndian) { combine($0) }
    }

    public var description: String { String(value, radix: 16).leftPadded(to: 16) }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
