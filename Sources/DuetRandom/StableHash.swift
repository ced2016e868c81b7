/// A stable 64-bit FNV-1a hash of a string's UTF-8 bytes, used to derive a per-item random stream
/// from a run seed so that results do not depend on item order or on resuming, and to name cache
/// entries. Unlike `Hasher`, it is the same in every process and on every platform.
///
/// `h₀ = 0xcbf29ce484222325`; for each byte `b`: `h ← (h xor b) · 0x100000001b3 (mod 2⁶⁴)`.
public func stableHash(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01b3
    }
    return hash
}
