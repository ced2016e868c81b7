import FuzzDriver
import DuetTraining
import Foundation

/// Training configuration JSON: a valid configuration or a decoding/validation error, no crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ pointer: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start = pointer else { return 0 }
    if let configuration = try? JSONDecoder().decode(TrainingConfiguration.self, from: Data(bytes: start, count: count)) {
        _ = try? configuration.validate()
    }
    return 0
}

/// SwiftPM links an executable's `main` to `<module>_main`; this one hands the process to libFuzzer's
/// driver (so libFuzzer's own `main` is never linked in).
@_cdecl("fuzz_configuration_main")
public func harnessMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
