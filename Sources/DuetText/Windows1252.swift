/// The Windows-1252 characters of the bytes 0x80…0x9F, the range where it differs from Latin-1. The five
/// bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) stand for themselves, as in Python's
/// `html._invalid_charrefs` and ftfy's "sloppy-windows-1252" codec.
enum Windows1252 {
    static let controlRange: ClosedRange<UInt32> = 0x80...0x9F

    private static let characters: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x192, 0x201E, 0x2026, 0x2020, 0x2021, 0x2C6, 0x2030, 0x160, 0x2039, 0x152, 0x8D, 0x17D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x2DC, 0x2122, 0x161, 0x203A, 0x153, 0x9D, 0x17E, 0x178,
    ]

    /// The character Windows-1252 gives the byte `value` (0x80…0x9F).
    static func character(for value: UInt32) -> Unicode.Scalar {
        precondition(controlRange.contains(value), "\(value) is not a C1 byte")
        return Unicode.Scalar(characters[Int(value - 0x80)])!
    }
}
