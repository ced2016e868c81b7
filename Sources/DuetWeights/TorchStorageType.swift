import Foundation

/// The element type of a torch storage, named in a checkpoint by its legacy class (`torch.FloatStorage`,
/// `torch.HalfStorage`, …), which `torch.save` still writes for typed storages (torch/serialization.py,
/// `persistent_id`: `storage_type = getattr(torch, obj._pickle_storage_type())`).
///
/// Conversion keeps every value exactly where the target type allows: float16 and bfloat16 widen to
/// float32 without rounding; float64 narrows to the nearest float32; int64 and int32 stay as they are (index
/// buffers such as `position_ids`, which the loaders check); the narrow integer and boolean types widen to
/// int32, which Duet's safetensors reader reads.
enum TorchStorageType: String, CaseIterable, Sendable {
    case float32 = "FloatStorage"
    case float16 = "HalfStorage"
    case bfloat16 = "BFloat16Storage"
    case float64 = "DoubleStorage"
    case int64 = "LongStorage"
    case int32 = "IntStorage"
    case int16 = "ShortStorage"
    case int8 = "CharStorage"
    case uint8 = "ByteStorage"
    case boolean = "BoolStorage"
    /// `torch.UntypedStorage`: bytes, counted in bytes.
    case untyped = "UntypedStorage"

    /// The storage type of the global `torch.<ClassName>`, or `nil` when it is not a storage Duet reads
    /// (complex and quantised storages among them).
    init?(globalName: String) {
        guard globalName.hasPrefix("torch."), let type = Self(rawValue: String(globalName.dropFirst("torch.".count))) else { return nil }
        self = type
    }

    /// Bytes per element.
    var byteWidth: Int {
        switch self {
        case .float64, .int64: 8
        case .float32, .int32: 4
        case .float16, .bfloat16, .int16: 2
        case .int8, .uint8, .boolean, .untyped: 1
        }
    }

    /// torch's name of the element type, for summaries.
    var torchName: String {
        switch self {
        case .float32: "float32"
        case .float16: "float16"
        case .bfloat16: "bfloat16"
        case .float64: "float64"
        case .int64: "int64"
        case .int32: "int32"
        case .int16: "int16"
        case .int8: "int8"
        case .uint8, .untyped: "uint8"
        case .boolean: "bool"
        }
    }

    /// The safetensors data type written for this storage type.
    var convertedDataType: String {
        switch self {
        case .float32, .float16, .bfloat16, .float64: "F32"
        case .int64: "I64"
        case .int32, .int16, .int8, .uint8, .boolean, .untyped: "I32"
        }
    }

    /// Bytes per converted element.
    var convertedByteWidth: Int { convertedDataType == "I64" ? 8 : 4 }

    /// The converted element, as the little-endian bit pattern of the target type (`F32`, `I64` or `I32`),
    /// from the little-endian element at `source`.
    @inline(__always)
    func convertedBits(at source: UnsafeRawPointer) -> UInt64 {
        switch self {
        case .float32, .int32:
            return UInt64(UInt32(littleEndian: source.loadUnaligned(as: UInt32.self)))
        case .float16:
            let half = Float16(bitPattern: UInt16(littleEndian: source.loadUnaligned(as: UInt16.self)))
            return UInt64(Float(half).bitPattern)
        case .bfloat16:
            // bfloat16 is the upper half of a float32: the widening is a shift, exact, NaN payloads included.
            return UInt64(UInt32(UInt16(littleEndian: source.loadUnaligned(as: UInt16.self))) << 16)
        case .float64:
            let double = Double(bitPattern: UInt64(littleEndian: source.loadUnaligned(as: UInt64.self)))
            return UInt64(Float(double).bitPattern)
        case .int64:
            return UInt64(littleEndian: source.loadUnaligned(as: UInt64.self))
        case .int16:
            return UInt64(UInt32(bitPattern: Int32(Int16(littleEndian: source.loadUnaligned(as: Int16.self)))))
        case .int8:
            return UInt64(UInt32(bitPattern: Int32(source.loadUnaligned(as: Int8.self))))
        case .uint8, .boolean, .untyped:
            return UInt64(source.loadUnaligned(as: UInt8.self))
        }
    }
}

/// A storage as the pickle refers to it: `("storage", torch.<Type>Storage, key, location, element count)`,
/// whose bytes are the archive entry `<archive>/data/<key>`.
struct TorchStorageReference: Sendable, Equatable {
    var type: TorchStorageType
    var key: String
    var location: String
    var elementCount: Int
}

/// A tensor as `torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, …)` describes it: a
/// strided view of a storage, in elements.
struct TorchTensorReference: Sendable, Equatable {
    var storage: TorchStorageReference
    var offset: Int
    var shape: [Int]
    var strides: [Int]

    /// The number of elements, or `nil` on overflow.
    var elementCount: Int? {
        var count = 1
        for extent in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            guard !overflow else { return nil }
            count = product
        }
        return count
    }

    /// Whether every element this view reaches lies inside its storage: offset + Σ (extent − 1) · stride is
    /// below the storage's element count, computed with overflow detection (release builds are unchecked).
    var fitsStorage: Bool {
        guard offset >= 0, shape.count == strides.count, shape.allSatisfy({ $0 >= 0 }), strides.allSatisfy({ $0 >= 0 }),
              let count = elementCount
        else { return false }
        if count == 0 { return offset <= storage.elementCount }
        var last = offset
        for (extent, stride) in zip(shape, strides) {
            let (step, overflow) = (extent - 1).multipliedReportingOverflow(by: stride)
            guard !overflow else { return false }
            let (sum, overflowSum) = last.addingReportingOverflow(step)
            guard !overflowSum else { return false }
            last = sum
        }
        return last < storage.elementCount
    }

    /// Whether the view is the row-major layout of its shape (extents of 1 may have any stride).
    var isContiguous: Bool {
        var expected = 1
        for (extent, stride) in zip(shape, strides).reversed() where extent != 1 {
            guard stride == expected else { return false }
            expected *= extent
        }
        return true
    }

    /// The view's elements, row-major, converted to ``TorchStorageType/convertedDataType`` as little-endian
    /// bytes. Non-contiguous views (a transposed matrix, a column) are gathered element by element.
    /// - Parameter storageBytes: the storage's bytes; ``fitsStorage`` must hold and the bytes must cover
    ///   ``TorchStorageReference/elementCount`` elements.
    func materialized(from storageBytes: Data) -> Data {
        let count = elementCount ?? 0
        let sourceWidth = storage.type.byteWidth
        let targetWidth = storage.type.convertedByteWidth
        var output = Data(count: count * targetWidth)
        guard count > 0 else { return output }
        storageBytes.withUnsafeBytes { (source: UnsafeRawBufferPointer) in
            output.withUnsafeMutableBytes { (target: UnsafeMutableRawBufferPointer) in
                let base = source.baseAddress!
                let destination = target.baseAddress!
                if isContiguous && [.float32, .int64, .int32].contains(storage.type) {
                    // Same layout and type (float32, int64, int32): one copy.
                    destination.copyMemory(from: base + offset * sourceWidth, byteCount: count * sourceWidth)
                    return
                }
                let type = storage.type
                var index = [Int](repeating: 0, count: shape.count)
                var element = offset
                for position in 0..<count {
                    let bits = type.convertedBits(at: base + element * sourceWidth)
                    if targetWidth == 8 {
                        destination.storeBytes(of: bits.littleEndian, toByteOffset: position * 8, as: UInt64.self)
                    } else {
                        destination.storeBytes(of: UInt32(truncatingIfNeeded: bits).littleEndian, toByteOffset: position * 4, as: UInt32.self)
                    }
                    // Odometer over the shape, last axis fastest, moving the storage index by the strides.
                    var axis = shape.count - 1
                    while axis >= 0 {
                        index[axis] += 1
                        element += strides[axis]
                        if index[axis] < shape[axis] { break }
                        element -= strides[axis] * shape[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
        }
        return output
    }
}
