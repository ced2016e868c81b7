import DuetTestSupport
import Foundation
import Testing

/// `duet index`, `duet similar` and their option checks, run as a user runs them.
@Suite("search command line")
struct CommandLineTests {
    static func duet(_ arguments: [String]) throws -> DuetCommand {
        try DuetCommand.run(arguments)
    }

    @Test func indexThenSimilarWithAPlaylist() throws {
        let root = try SearchFixtures.temporaryFolder("cli")
        let music = root.appendingPathComponent("music")
        try FileManager.default.createDirectory(at: music, withIntermediateDirectories: true)
        _ = try SearchFixtures.library(count: 5, in: music)
        try Data("not audio".utf8).write(to: music.appendingPathComponent("broken.ogg"))
        let checkpoint = try SearchFixtures.tinyCheckpoint(in: root)
        let database = root.appendingPathComponent("library.sqlite").path

        let index = try Self.duet(["index", music.path, "--model", checkpoint.path, "--db", database, "--segments", "2"])
        #expect(index.status == 0, "\(index.error)")
        #expect(index.output.contains("6 audio files: 5 embedded"), "\(index.output)")
        #expect(index.output.contains("broken.ogg"), "the failure is reported at the end")
        let failures = try Self.duet(["index", "--failures", "--db", database])
        #expect(failures.output.contains("corrupt: ") && failures.output.contains("broken.ogg"), "\(failures.output)")

        let playlist = root.appendingPathComponent("similar.m3u").path
        let similar = try Self.duet(["similar", "1", "--db", database, "-k", "3", "--json", "--m3u", playlist])
        #expect(similar.status == 0, "\(similar.error)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(similar.output.utf8)) as? [[String: Any]])
        #expect(rows.count == 3 && !rows.contains { ($0["id"] as? Int) == 1 })
        let text = try String(contentsOfFile: playlist, encoding: .utf8)
        #expect(text.hasPrefix("#EXTM3U\n") && text.components(separatedBy: "#EXTINF:").count == 4)
    }

    @Test func numbersAndPathsAreCheckedBeforeAnyWork() throws {
        let root = try SearchFixtures.temporaryFolder("cli-checks")
        let zero = try Self.duet(["search", "piano", "--db", root.appendingPathComponent("none.sqlite").path, "-k", "0"])
        #expect(zero.status != 0 && zero.error.contains("between 1 and 10000"), "\(zero.error)")
        let segments = try Self.duet(["index", root.path, "--segments", "0"])
        #expect(segments.status != 0 && segments.error.contains("between 1 and 64"), "\(segments.error)")
        let playlist = try Self.duet(["similar", "1", "--db", root.appendingPathComponent("none.sqlite").path,
                                      "--m3u", root.appendingPathComponent("missing/out.m3u").path])
        #expect(playlist.status != 0 && playlist.error.contains("does not exist"), "\(playlist.error)")
        let duration = try Self.duet(["search", "piano", "--min-duration", "10", "--max-duration", "5"])
        #expect(duration.status != 0 && duration.error.contains("max-duration"), "\(duration.error)")
    }
}
