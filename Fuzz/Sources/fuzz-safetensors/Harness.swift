import FuzzDriver
import DuetWeights
import Foundation

/// safetensors bytes: the header validated, every tensor read or a WeightsError, no crash.
let url = URL(fileURLWithPath: "/dev/shm/duet-fuzz-safetensors-\(getpid()).safetensors")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ pointer: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start = pointer else { return 0 }
    guard (try? Data(bytes: start, count: count).write(to: url)) != nil else { return 0 }
    guard let file = try? SafetensorsFile(url: url) else { return 0 }
    for name in file.names { _ = try? file.tensor(named: name) }
    return 0
}

/// SwiftPM links an executable's `main` to `<module>_main`; this one hands the process to libFuzzer's
/// driver (so libFuzzer's own `main` is never linked in).
@_cdecl("fuzz_safetensors_main")
public func harnessMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
