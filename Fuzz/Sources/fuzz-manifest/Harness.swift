import FuzzDriver
import DuetData

/// Manifest lines: any bytes as text, every problem reported, no crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ pointer: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start = pointer else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    let (entries, problems) = Manifest.parse(text)
    precondition(entries.count + problems.count <= TextFile.lines(of: text).count * 8 + 1)
    return 0
}

/// SwiftPM links an executable's `main` to `<module>_main`; this one hands the process to libFuzzer's
/// driver (so libFuzzer's own `main` is never linked in).
@_cdecl("fuzz_manifest_main")
public func harnessMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
