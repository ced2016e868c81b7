import DuetData
import Foundation
import Testing
@testable import DuetSynth

/// Replacing a corpus removes exactly the old corpus's files: its clips, MIDI files, manifest and
/// vocabulary, nothing it does not list and nothing outside its folder.
@Suite struct CorpusFolderTests {
    @Test func removesOnlyWhatTheManifestNames() throws {
        let manager = FileManager.default
        let root = manager.temporaryDirectory.appendingPathComponent("duet-corpus-\(UUID().uuidString)")
        let folder = root.appendingPathComponent("corpus")
        try manager.createDirectory(at: folder.appendingPathComponent("audio"), withIntermediateDirectories: true)
        try manager.createDirectory(at: folder.appendingPathComponent("midi"), withIntermediateDirectories: true)
        #expect(!CorpusFolder.holdsCorpus(folder))
        #expect(try CorpusFolder.removeCorpus(in: folder) == 0)

        let outside = root.appendingPathComponent("outside.wav")
        for path in ["corpus/audio/a.wav", "corpus/audio/b.wav", "corpus/midi/a.mid", "corpus/audio/mine.wav", "corpus/vocabulary.json", "outside.wav"] {
            try Data("x".utf8).write(to: root.appendingPathComponent(path))
        }
        let lines = [
            #"{"id":"a","audio":"audio/a.wav","tags":{"genre":["jazz"]},"split":"train"}"#,
            #"{"id":"b","audio":"audio/b.wav","tags":{"genre":["rock"]},"split":"test"}"#,
            #"{"id":"c","audio":"../outside.wav","tags":{"genre":["rock"]},"split":"test"}"#,
        ]
        try Data((lines.joined(separator: "\r\n") + "\r\n").utf8).write(to: CorpusFolder.manifest(in: folder))
        #expect(CorpusFolder.holdsCorpus(folder))

        #expect(try CorpusFolder.removeCorpus(in: folder) == 5)
        #expect(!CorpusFolder.holdsCorpus(folder))
        for path in ["audio/a.wav", "audio/b.wav", "midi/a.mid", "vocabulary.json"] {
            #expect(!manager.fileExists(atPath: folder.appendingPathComponent(path).path), "\(path) should be gone")
        }
        #expect(manager.fileExists(atPath: folder.appendingPathComponent("audio/mine.wav").path))
        #expect(manager.fileExists(atPath: outside.path))
    }
}
