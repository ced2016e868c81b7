import DuetRandom
import Testing

/// `stableHash` names caption-cache entries and seeds per-item streams, so its values are pinned.
/// The expected values were printed by the function before it moved out of DuetData; the first
/// three are also the published FNV-1a 64-bit test vectors.
@Suite struct StableHashTests {
    @Test(arguments: [
        ("", UInt64(0xcbf2_9ce4_8422_2325)),
        ("a", 0xaf63_dc4c_8601_ec8c),
        ("foobar", 0x8594_4171_f739_67e8),
        ("track-001", 0x09d7_45ef_dda7_249e),
    ])
    func knownValues(text: String, expected: UInt64) {
        #expect(stableHash(text) == expected)
    }

    @Test func dependsOnEveryByte() {
        #expect(stableHash("track-001") != stableHash("track-002"))
        #expect(stableHash("ab") != stableHash("ba"))
    }
}
