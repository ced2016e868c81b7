import Foundation
import Testing

@testable import DuetText

/// CLIP's tokenizer from a `transformers` checkpoint folder (`merges.txt`, `vocab.json`), as
/// openai/clip-vit-base-patch32 ships it: the same merges as OpenAI's gzip file, uncompressed, and a
/// vocabulary that must agree with the one CLIP derives from them (special tokens named `<|startoftext|>`
/// and `<|endoftext|>` there).
@Suite struct ClipTokenizerFolderTests {
    static let mergeCount = 3_000

    /// A folder with the first `mergeCount` merges of the real file and, unless `vocabulary` is false, its vocab.json.
    static func folder(vocabulary: Bool = true, editing edit: (inout [String: Int32]) -> Void = { _ in }) throws -> (URL, ClipTokenizer) {
        let lines = String(decoding: try GzipFile.contents(of: try ClipTokenizerTests.vocabularyFile()), as: UTF8.self)
            .split(separator: "\n").dropFirst().prefix(mergeCount)
        let merges = lines.map { line -> (String, String) in
            let parts = line.split(separator: " ")
            return (String(parts[0]), String(parts[1]))
        }
        let reference = ClipTokenizer(merges: merges)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-clip-folder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try ("#version: 0.2\n" + lines.joined(separator: "\n") + "\n").write(
            to: folder.appendingPathComponent("merges.txt"), atomically: true, encoding: .utf8)
        if vocabulary {
            var stored = reference.model.vocabulary
            stored["<|startoftext|>"] = stored.removeValue(forKey: "<start_of_text>")
            stored["<|endoftext|>"] = stored.removeValue(forKey: "<end_of_text>")
            edit(&stored)
            try JSONEncoder().encode(stored).write(to: folder.appendingPathComponent("vocab.json"))
        }
        return (folder, reference)
    }

    @Test func aTransformersFolderTokenisesAsTheMergesDo() throws {
        for withVocabulary in [true, false] {
            let (folder, reference) = try Self.folder(vocabulary: withVocabulary)
            defer { try? FileManager.default.removeItem(at: folder) }
            let tokenizer = try ClipTokenizer(directory: folder, contextLength: 32)
            #expect(tokenizer.model.vocabulary.count == 2 * 256 + Self.mergeCount + 2)
            for text in ["a mellow jazz trio with brushed drums", "Hip-hop beats, 90 BPM!", "ein ruhiges Klavierstück"] {
                #expect(tokenizer.encode(text).ids == reference.encode(text).ids, "\(text)")
            }
            #expect(tokenizer.encode(String(repeating: "piano ", count: 60)).ids.count == 32)
        }
    }

    @Test func aVocabularyThatDisagreesWithTheMergesIsRefused() throws {
        // The first two merged pieces (ids 512 and 513) swap their ids.
        let (folder, _) = try Self.folder { stored in
            guard let first = stored.first(where: { $0.value == 512 })?.key, let second = stored.first(where: { $0.value == 513 })?.key else { return }
            stored[first] = 513
            stored[second] = 512
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect { try ClipTokenizer(directory: folder) } throws: { error in
            guard case .malformedFile(let path, let reason)? = error as? TokenizerError else { return false }
            return path.hasSuffix("vocab.json") && reason.contains("merges.txt")
        }
    }
}
