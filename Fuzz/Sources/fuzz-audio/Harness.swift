import FuzzDriver
import DuetAudio
import Foundation

/// Audio bytes through the whole loader (libsndfile decode, downmix, resample to 16 kHz), named by
/// the first byte's choice of extension so every container path is reached: a typed error, no crash.
let folder: URL = {
    let url = URL(fileURLWithPath: "/dev/shm").appendingPathComponent("duet-fuzz-audio-\(getpid())")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ pointer: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start = pointer else { return 0 }
    let extensions = ["wav", "flac", "ogg", "mp3", "opus"]
    let data = Data(bytes: start, count: count)
    let url = folder.appendingPathComponent("clip.\(extensions[Int(data.first ?? 0) % extensions.count])")
    guard (try? data.write(to: url)) != nil else { return 0 }
    if let samples = try? AudioLoader.load(url) {
        precondition(samples.allSatisfy(\.isFinite), "decoded a non-finite sample")
    }
    _ = try? AudioFileTags.read(from: url)
    return 0
}

/// SwiftPM links an executable's `main` to `<module>_main`; this one hands the process to libFuzzer's
/// driver (so libFuzzer's own `main` is never linked in).
@_cdecl("fuzz_audio_main")
public func harnessMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
