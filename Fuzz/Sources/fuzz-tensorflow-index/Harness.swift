import FuzzDriver
import DuetWeights
import Foundation

/// A TensorFlow checkpoint V2 index (SSTable of BundleEntryProto) over a small data shard: every
/// entry read or a WeightsError, no crash.
let prefix = "/dev/shm/duet-fuzz-checkpoint-\(getpid())"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ pointer: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start = pointer else { return 0 }
    guard (try? Data(bytes: start, count: count).write(to: URL(fileURLWithPath: prefix + ".index"))) != nil,
          (try? Data(repeating: 0x3F, count: 64).write(to: URL(fileURLWithPath: prefix + ".data-00000-of-00001"))) != nil
    else { return 0 }
    guard let checkpoint = try? TensorFlowCheckpoint(prefix: prefix) else { return 0 }
    for name in checkpoint.parameterNames { _ = try? checkpoint.floats(named: name) }
    return 0
}

/// SwiftPM links an executable's `main` to `<module>_main`; this one hands the process to libFuzzer's
/// driver (so libFuzzer's own `main` is never linked in).
@_cdecl("fuzz_tensorflow_index_main")
public func harnessMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
