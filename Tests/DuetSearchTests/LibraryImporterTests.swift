import DuetAudio
import DuetData
import DuetSearch
import DuetTestSupport
import Foundation
import Testing

/// `duet import library` on a small tagged library: tags mapped, albums never split, untagged and unreadable
/// files reported and left out, paths that resolve from the manifest.
@Suite struct LibraryImporterTests {
    @Test func importsTaggedTracksAndSplitsByAlbum() throws {
        let folder = try SearchFixtures.temporaryFolder("library-import")
        defer { try? FileManager.default.removeItem(at: folder) }
        let music = folder.appendingPathComponent("music")
        let albums = [("Night Trio", "jazz", "mellow"), ("Loud Hours", "rock", "energetic"), ("Porch", "folk", "calm"),
                      ("Blue Rooms", "blues", "sad"), ("Floor", "house", "happy")]
        var seed: UInt64 = 0
        for (album, genre, mood) in albums {
            let albumFolder = music.appendingPathComponent(album)
            try FileManager.default.createDirectory(at: albumFolder, withIntermediateDirectories: true)
            for track in 0..<3 {
                seed += 1
                let url = try SearchFixtures.writeMusic(albumFolder.appendingPathComponent("\(track).wav"), seconds: 1, seed: seed)
                try AudioFileTags(
                    title: "\(album) \(track)", artist: "Band of \(album)", album: album, genres: [genre], moods: [mood],
                    comment: track == 0 ? "with piano and drums" : nil, year: 1990 + track, beatsPerMinute: 70 + 30 * track
                ).write(to: url)
            }
        }
        let untagged = try SearchFixtures.writeMusic(music.appendingPathComponent("untagged.wav"), seconds: 1, seed: 99)
        let broken = music.appendingPathComponent("broken.mp3")
        try Data("not audio".utf8).write(to: broken)

        var importer = LibraryImporter(mapper: LibraryTagMapper(dictionary: try SwapDictionary.bundled()))
        importer.validFraction = 0.2
        importer.testFraction = 0.2
        let manifestURL = folder.appendingPathComponent("library.jsonl")
        let report = try importer.run(folders: [music], manifest: manifestURL)

        #expect(report.entries.count == 15)
        #expect(report.untagged == [LibraryWalker.canonicalPath(untagged.path)])
        #expect(report.unreadable.map(\.path) == [LibraryWalker.canonicalPath(broken.path)])
        #expect(Set(report.entries.map(\.split)) == [.train, .valid, .test])
        for album in albums.map(\.0) {
            let splits = Set(report.entries.filter { $0.metadata?["album"] == album }.map(\.split))
            #expect(splits.count == 1, "\(album) is in \(splits)")
        }
        let first = try #require(report.entries.first { $0.metadata?["title"] == "Night Trio 0" })
        #expect(first.tags["genre"] == ["jazz"] && first.tags["mood"] == ["mellow"])
        #expect(first.tags["instrument"] == ["piano", "drums"])
        #expect(first.tags["tempo"] == ["slow"] && first.tags["era"] == ["1990s"])
        #expect(first.audio == "music/Night Trio/0.wav", "relative to the manifest's folder")

        try Manifest.write(report.entries, to: manifestURL)
        let manifest = try Manifest.load(from: manifestURL)
        #expect(manifest.entries.allSatisfy { FileManager.default.fileExists(atPath: manifest.audioURL(for: $0).path) })
        #expect(report.summary.contains("15 tracks with usable tags"))
        #expect(report.summary.contains("1 tracks left out"))
    }
}
