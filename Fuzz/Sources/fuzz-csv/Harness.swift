import FuzzDriver
import DuetData
import Foundation

/// RFC 4180 CSV (comma and tab separated): records or a CSVError with a line, no crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ pointer: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start = pointer else { return 0 }
    let bytes = UnsafeBufferPointer(start: start, count: count)
    let text = String(decoding: bytes, as: UTF8.self)
    _ = try? CSVReader.records(in: text, separator: bytes.first.map { $0 & 1 == 0 } ?? true ? "," : "\t")
    _ = try? TextFile.decode(Data(bytes), path: "fuzz")
    return 0
}


/// SwiftPM links an executable's `main` to `<module>_main`; this one hands the process to libFuzzer's
/// driver (so libFuzzer's own `main` is never linked in).
@_cdecl("fuzz_csv_main")
public func harnessMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
