import CBLAS
import Dispatch
import Foundation

/// The one knob for how many threads Duet uses: OpenBLAS's pool and Duet's own parallel loops.
///
/// Read once from `DUET_THREADS` (default: the number of active processors). Set it before heavy
/// work with `Parallelism.setThreadCount(_:)`; nothing else in the process should start threads
/// for numerical work, so the two cores are never oversubscribed.
public enum Parallelism {
    nonisolated(unsafe) private static var configuredThreadCount: Int = {
        let processors = ProcessInfo.processInfo.activeProcessorCount
        let setting = ProcessInfo.processInfo.environment["DUET_THREADS"]
        let (count, warning) = threadCount(fromSetting: setting, processors: processors)
        if let warning { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
        openblas_set_num_threads(Int32(count))
        _ = AllocatorTuning.applied
        return count
    }()

    /// The thread count a `DUET_THREADS` setting asks for, and a warning when the setting is unusable
    /// (then every processor is used). Empty or absent means every processor.
    static func threadCount(fromSetting setting: String?, processors: Int) -> (count: Int, warning: String?) {
        let all = max(1, processors)
        guard let setting, !setting.trimmingCharacters(in: .whitespaces).isEmpty else { return (all, nil) }
        guard let requested = Int(setting.trimmingCharacters(in: .whitespaces)), (1...1024).contains(requested) else {
            return (all, "DUET_THREADS='\(setting)' is not a whole number from 1 to 1024; using all \(all) processors")
        }
        return (requested, nil)
    }

    /// Threads used by numerical work.
    public static var threadCount: Int { configuredThreadCount }

    /// Sets the thread count for OpenBLAS and Duet's loops. Call from one thread, before work starts.
    public static func setThreadCount(_ count: Int) {
        precondition(count >= 1, "thread count must be at least 1, got \(count)")
        configuredThreadCount = count
        openblas_set_num_threads(Int32(count))
    }

    /// Runs `body` with OpenBLAS computing each call on the calling thread, for loops that spread
    /// independent items over Duet's threads and call sgemm from each of them (many small products
    /// in parallel beat one pool that spins between them). The thread setting is restored after.
    public static func withSerialBLAS<Result>(_ body: () throws -> Result) rethrows -> Result {
        let count = threadCount
        guard count > 1 else { return try body() }
        openblas_set_num_threads(1)
        defer { openblas_set_num_threads(Int32(count)) }
        return try body()
    }

    /// Runs `body(range)` over `0..<count` split into at most `threadCount` contiguous chunks.
    /// Work smaller than `minimumChunk` items per thread runs on the calling thread.
    public static func forEachChunk(_ count: Int, minimumChunk: Int = 4096, _ body: (Range<Int>) -> Void) {
        // concurrentPerform returns only after every chunk ran, so the non-escaping body outlives them.
        let threads = min(threadCount, max(1, count / max(1, minimumChunk)))
        if threads <= 1 { body(0..<count); return }
        let chunk = (count + threads - 1) / threads
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let body = body
            DispatchQueue.concurrentPerform(iterations: threads) { index in
                let start = index * chunk
                let end = min(count, start + chunk)
                if start < end { body(start..<end) }
            }
        }
    }
}
