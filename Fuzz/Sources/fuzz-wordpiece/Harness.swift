import FuzzDriver
import DuetText

/// Any text through the BERT normaliser, splitter and WordPiece model: ids within the vocabulary
/// and at most the maximum length, no crash.
nonisolated(unsafe) let tokenizer: WordPieceTokenizer = {
    let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "##b", "ab", "##a", "é", "中", "!", "##s", "jazz"]
    guard let model = WordPieceModel(vocabulary: vocabulary) else { preconditionFailure("fuzz vocabulary rejected") }
    return WordPieceTokenizer(
        specialTokens: SpecialTokenSplitter(tokens: [("[CLS]", 2), ("[SEP]", 3), ("[MASK]", 4)]), normalizer: BertNormalizer(),
        model: model, postProcessor: BertPostProcessor(classifierIdentifier: 2, separatorIdentifier: 3), paddingIdentifier: 0,
        maximumLength: 32)
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ pointer: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start = pointer else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    let ids = tokenizer.encode(text).ids
    precondition(ids.count <= 32 && ids.allSatisfy { (0..<15).contains($0) }, "ids \(ids)")
    return 0
}

/// SwiftPM links an executable's `main` to `<module>_main`; this one hands the process to libFuzzer's
/// driver (so libFuzzer's own `main` is never linked in).
@_cdecl("fuzz_wordpiece_main")
public func harnessMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
