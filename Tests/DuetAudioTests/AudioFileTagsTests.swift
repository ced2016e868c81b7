import CSndFile
import Foundation
import Testing

@testable import DuetAudio

@Suite("File tags through TagLib")
struct AudioFileTagsTests {
    @Test("tags written into FLAC and OGG files read back, multi-valued genre and mood included")
    func roundTrip() throws {
        let folder = try AudioFileWriter.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let samples = AudioFileWriter.stereoSine(seconds: 2, sampleRate: 22_050)
        let tags = AudioFileTags(
            title: "Blue in Grün", artist: "Trio Ünder", album: "Nächte", genres: ["Jazz", "Bossa Nova"],
            moods: ["mellow"], comment: "brushed drums", year: 1997, beatsPerMinute: 92)
        for (name, format) in [("a.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16), ("a.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS)] {
            let url = folder.appendingPathComponent(name)
            try AudioFileWriter.write(samples, channels: 2, sampleRate: 22_050, format: Int32(format), to: url)
            #expect(try AudioFileTags.read(from: url).isEmpty)
            try tags.write(to: url)
            var read = try AudioFileTags.read(from: url)
            #expect(abs((read.durationSeconds ?? 0) - 2) < 0.1, "\(name): \(String(describing: read.durationSeconds))")
            read.durationSeconds = nil
            #expect(read == tags, "\(name)")
        }
    }

    @Test("dates and BPM values parse leniently, junk is absent")
    func lenientNumbers() {
        #expect(AudioFileTags.leadingYear("1997-03-01") == 1997)
        #expect(AudioFileTags.leadingYear("97") == nil)
        #expect(AudioFileTags.leadingYear("unknown") == nil)
        #expect(AudioFileTags.wholeBeatsPerMinute("92.6") == 93)
        #expect(AudioFileTags.wholeBeatsPerMinute("-5") == nil)
        #expect(AudioFileTags.wholeBeatsPerMinute("nan") == nil)
    }

    @Test("a missing file and a file that is not audio are named in the error")
    func unreadable() throws {
        let folder = try AudioFileWriter.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("missing.mp3")
        #expect(throws: AudioFileTagsError.unreadable(file: missing.path, reason: "no such file")) {
            try AudioFileTags.read(from: missing)
        }
        let text = folder.appendingPathComponent("notes.mp3")
        try Data("not audio at all".utf8).write(to: text)
        do {
            _ = try AudioFileTags.read(from: text)
            Issue.record("a text file read as tags")
        } catch {
            #expect(error.localizedDescription.contains(text.path))
        }
    }
}
