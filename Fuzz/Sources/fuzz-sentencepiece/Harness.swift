import FuzzDriver
import DuetText

/// Any text through the E5 prefix, the SentencePiece normaliser, the metaspace splitter, the unigram
/// Viterbi model and the post-processor: ids inside the vocabulary, every window within the maximum
/// length, no crash.
nonisolated(unsafe) let tokenizer: SentencePieceTokenizer = {
    let pieces: [(String, Float)] = [
        ("<s>", 0), ("<pad>", 0), ("</s>", 0), ("<unk>", 0), ("▁", -3), ("▁jazz", -5), ("▁ja", -4), ("zz", -4),
        ("▁trio", -6), ("q", -7), ("u", -7), ("query", -2), (":", -3), ("▁café", -8), ("é", -6), ("ja", -1.5),
        ("中", -5), ("▁中", -6), ("🎷", -7), ("ا", -6), ("▁ل", -6),
    ]
    return SentencePieceTokenizer(
        normalizer: SentencePieceNormalizer(map: [(0x09, [0x20]), (0x01, []), (0xFB01, [0x66, 0x69]), (0x3000, [0x20])]),
        model: UnigramModel(pieces: pieces, unknownIdentifier: 3),
        beginIdentifier: 0, endIdentifier: 2, paddingIdentifier: 1, maximumLength: 16)
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ pointer: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start = pointer else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    let ids = tokenizer.encode(text).ids
    precondition(ids.count <= 16 && ids.allSatisfy { (0..<21).contains($0) }, "ids \(ids)")
    for window in tokenizer.windows(text) {
        precondition(window.encoding.ids.count <= 16 && window.weight >= 0, "window \(window.encoding.ids)")
    }
    return 0
}

/// SwiftPM links an executable's `main` to `<module>_main`; this one hands the process to libFuzzer's
/// driver (so libFuzzer's own `main` is never linked in).
@_cdecl("fuzz_sentencepiece_main")
public func harnessMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
