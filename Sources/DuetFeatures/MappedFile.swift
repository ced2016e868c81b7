import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A read-only memory map of a whole file (empty files map to an empty buffer).
///
/// Used instead of `Data(contentsOf:options:.alwaysMapped)` so that mapping a large feature store
/// never copies it into memory: pages are read on demand and shared with the page cache.
final class MappedFile: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    private let base: UnsafeMutableRawPointer?
    private let length: Int

    init(url: URL) throws {
        let descriptor = open(url.path, O_RDONLY)
        guard descriptor >= 0 else { throw CocoaError(.fileReadNoPermission, userInfo: [NSFilePathErrorKey: url.path]) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: url.path]) }
        length = Int(status.st_size)
        if length == 0 {
            base = nil
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let pointer = mmap(nil, length, PROT_READ, MAP_SHARED, descriptor, 0), pointer != MAP_FAILED else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        base = pointer
        bytes = UnsafeRawBufferPointer(start: pointer, count: length)
    }

    var count: Int { length }

    deinit { if let base { munmap(base, length) } }
}
