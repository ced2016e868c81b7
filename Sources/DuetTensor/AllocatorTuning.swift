import CBLAS

/// Keeps freed tensor memory in the process for reuse.
///
/// A training step allocates and frees tens of arrays of 10-50 MB. By default glibc serves each
/// from a fresh `mmap` and unmaps it on free, so every step pays a page fault and kernel zeroing
/// for every page again (measured: ~10% of a step). Serving them from the heap and never trimming
/// it lets the next step reuse the same, already-mapped pages.
enum AllocatorTuning {
    static let applied: Bool = {
        #if os(Linux)
        _ = mallopt(M_MMAP_MAX, 0)
        _ = mallopt(M_TRIM_THRESHOLD, Int32.max)
        _ = mallopt(M_TOP_PAD, 64 << 20)
        return true
        #else
        return false
        #endif
    }()
}
