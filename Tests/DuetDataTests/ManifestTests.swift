@testable import DuetData
import Foundation
import Testing

@Suite("Manifest loading")
struct ManifestTests {
    /// The same manifest with LF, CRLF (and a byte-order mark) or CR line ends reports the same problems on the same lines.
    @Test(arguments: ["\n", "\r\n", "\r"])
    func reportsEveryProblemWithItsLine(lineEnd: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-manifest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data().write(to: folder.appendingPathComponent("a.wav"))
        let lines = [
            #"{"id":"a","audio":"a.wav","tags":{"genre":["jazz"]},"split":"train"}"#,
            #"{"id":"a","audio":"a.wav","tags":{},"split":"train"}"#,
            #"{"id":"b","audio":"missing.wav","tags":{},"split":"train"}"#,
            #"not json"#,
            "",
            #"{"id":"c","audio":"a.wav","tags":{"mood":["sad", 3]},"split":"holdout","start":5,"end":2,"colour":"red"}"#,
            #"{"id":"d","audio":"gone.wav","tags":{"genre":["polka"]},"split":"test","captions":["x"],"metadata":{"k":"v"}}"#,
        ]
        let url = folder.appendingPathComponent("manifest.jsonl")
        let bom = lineEnd == "\r\n" ? "\u{FEFF}" : ""
        try Data((bom + lines.joined(separator: lineEnd) + lineEnd).utf8).write(to: url)
        let vocabulary = TagVocabulary(name: "v", categories: ["genre": ["jazz": []]])
        do {
            _ = try Manifest.load(from: url, options: ManifestLoadOptions(vocabulary: vocabulary))
            Issue.record("an invalid manifest loaded")
        } catch let error as ManifestError {
            let byLine = Dictionary(grouping: error.problems, by: \.line).mapValues { $0.map(\.message) }
            #expect(byLine[2]?.first?.contains("duplicate id 'a' (first used on line 1)") == true)
            #expect(byLine[3] == ["audio file not found: missing.wav"])
            #expect(byLine[4] == ["not a JSON object"])
            #expect(byLine[6]?.count == 4, "\(byLine[6] ?? [])")
            #expect(byLine[7] == ["unknown genre tag 'polka' (not in vocabulary 'v')"])
            #expect(error.hasMissingAudio)
            #expect(error.localizedDescription.contains("manifest.jsonl:4: not a JSON object"))
        }
        // With the bad lines removed, missing audio can be skipped.
        try Data([lines[0], lines[2]].joined(separator: lineEnd).utf8).write(to: url)
        let manifest = try Manifest.load(from: url, options: ManifestLoadOptions(skipMissingAudio: true))
        #expect(manifest.entries.map(\.id) == ["a"] && manifest.skipped.map(\.id) == ["b"])
        #expect(manifest.audioURL(for: manifest.entries[0]).path == folder.appendingPathComponent("a.wav").path)
        let statistics = ManifestStatistics(entries: manifest.entries + manifest.skipped)
        #expect(statistics.items == 2 && statistics.itemsPerSplit == ["train": 2] && statistics.distinctTags == ["genre": 1])
    }

    @Test func vocabularyLooksUpSynonymsAndRejectsConflicts() throws {
        #expect(Fixtures.vocabulary.canonical("Hip-Hop", in: "genre") == "hip hop")
        #expect(Fixtures.vocabulary.canonical("rap", in: "genre") == "hip hop")
        #expect(Fixtures.vocabulary.canonical("rap", in: "mood") == nil)
        let conflicting = TagVocabulary(name: "c", categories: ["mood": ["calm": ["soft"], "gentle": ["soft"]]])
        #expect(conflicting.problems().count == 1)
    }

    @Test func textThatIsNotUTF8IsNamedWithItsLineAndOffset() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("duet-latin1-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        // "café" in Latin-1 on the second line.
        try Data(#"{"id":"a"}"#.utf8 + [0x0A] + Array("caf".utf8) + [0xE9, 0x0A]).write(to: url)
        #expect(throws: DataFileError.malformed(
            path: url.path, line: 2,
            reason: "the file is not UTF-8 text (byte 0xE9 at byte offset 14 starts no valid UTF-8 sequence); save it as UTF-8")) {
            try Manifest.load(from: url)
        }
        let missing = url.deletingLastPathComponent().appendingPathComponent("duet-missing-\(UUID().uuidString)")
        #expect(throws: DataFileError.unreadable(path: missing.path, reason: "no such file")) { try Manifest.load(from: missing) }
        #expect(TextFile.firstInvalidOffset(Data([0x61, 0xED, 0xA0, 0x80])[...]) == 1, "a UTF-16 surrogate is not UTF-8")
        #expect(TextFile.firstInvalidOffset(Data([0xC0, 0xAF])[...]) == 0, "an overlong form is not UTF-8")
        #expect(TextFile.firstInvalidOffset(Data("ü€𝄞".utf8)[...]) == nil)
    }
}
