import DuetCatalog
@testable import DuetSearch
import DuetSynth
import DuetTestSupport
import Foundation
import Testing

@Suite("library indexing: walk, incremental rules, failures, model change", .serialized)
struct LibraryIndexerTests {
    static func indexer(_ checkpoint: URL, catalog: any Catalog, segments: Int = 2) throws -> LibraryIndexer {
        var indexer = LibraryIndexer(model: try SearchModel(checkpoint: checkpoint, segmentCount: segments), catalog: catalog)
        indexer.showsProgress = false
        indexer.batchSize = 3
        return indexer
    }

    @Test func walkFollowsSymlinksOnceAndSkipsHiddenFiles() throws {
        let root = try SearchFixtures.temporaryFolder("walk")
        let music = root.appendingPathComponent("music")
        try FileManager.default.createDirectory(at: music.appendingPathComponent("album"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: music.appendingPathComponent(".hidden"), withIntermediateDirectories: true)
        for name in ["album/a.WAV", "b.flac", "c.mp3", "d.opus", "e.ogg", ".f.wav", ".hidden/g.wav", "notes.txt"] {
            try Data([0]).write(to: music.appendingPathComponent(name))
        }
        // A loop back to the top and a second path to a file.
        try FileManager.default.createSymbolicLink(atPath: music.appendingPathComponent("album/loop").path, withDestinationPath: music.path)
        try FileManager.default.createSymbolicLink(atPath: music.appendingPathComponent("link.mp3").path,
                                                   withDestinationPath: music.appendingPathComponent("c.mp3").path)
        let (roots, files) = try LibraryWalker.files(under: [music])
        let canonical = try #require(LibraryWalker.canonicalPath(music.path))
        #expect(roots == [canonical])
        #expect(files.map { String($0.path.dropFirst(canonical.count + 1)) } == ["album/a.WAV", "b.flac", "c.mp3", "d.opus", "e.ogg"])
        #expect(throws: SearchError.notADirectory(path: music.appendingPathComponent("b.flac").path)) {
            try LibraryWalker.files(under: [music.appendingPathComponent("b.flac")])
        }
    }

    @Test func rerunsEmbedOnlyWhatChanged() throws {
        let root = try SearchFixtures.temporaryFolder("incremental")
        let music = root.appendingPathComponent("music")
        try FileManager.default.createDirectory(at: music, withIntermediateDirectories: true)
        let files = try SearchFixtures.library(count: 5, in: music)
        let catalog = InMemoryCatalog()
        let indexer = try Self.indexer(SearchFixtures.tinyCheckpoint(in: root), catalog: catalog)

        let first = try indexer.run(folders: [music])
        #expect(first.found == 5 && first.embedded == 5 && first.newFailures.isEmpty && !first.modelChanged)
        let idOfChanged = try #require(try catalog.track(path: LibraryWalker.canonicalPath(files[1].path)!)?.id)

        let second = try indexer.run(folders: [music])
        #expect(second.embedded == 0 && second.unchanged == 5)

        // Same bytes, new time: recorded, not re-embedded.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: files[0].path)
        // New content: re-embedded under the same id.
        try SearchFixtures.writeMusic(files[1], seconds: 14, seed: 500)
        try FileManager.default.removeItem(at: files[2])
        try SearchFixtures.writeMusic(music.appendingPathComponent("new.wav"), seconds: 12, seed: 600)
        let third = try indexer.run(folders: [music])
        #expect(third.touched == 1 && third.embedded == 2 && third.removed == 1 && third.unchanged == 2)
        let changed = try #require(try catalog.track(path: LibraryWalker.canonicalPath(files[1].path)!))
        #expect(changed.id == idOfChanged && abs(changed.duration - 14) < 1e-9)
        #expect(try catalog.trackCount() == 5)
    }

    @Test func anotherModelReembedsEverything() throws {
        let root = try SearchFixtures.temporaryFolder("model-change")
        let music = root.appendingPathComponent("music")
        try FileManager.default.createDirectory(at: music, withIntermediateDirectories: true)
        _ = try SearchFixtures.library(count: 3, in: music)
        let catalog = try SQLiteCatalog(path: root.appendingPathComponent("library.sqlite").path)
        _ = try Self.indexer(SearchFixtures.tinyCheckpoint(in: root, seed: 1), catalog: catalog).run(folders: [music])
        let again = try Self.indexer(SearchFixtures.tinyCheckpoint(in: root, seed: 1), catalog: catalog).run(folders: [music])
        #expect(!again.modelChanged && again.embedded == 0)
        let other = try Self.indexer(SearchFixtures.tinyCheckpoint(in: root, seed: 2), catalog: catalog).run(folders: [music])
        #expect(other.modelChanged && other.embedded == 3)
        let segments = try Self.indexer(SearchFixtures.tinyCheckpoint(in: root, seed: 2), catalog: catalog, segments: 4).run(folders: [music])
        #expect(segments.modelChanged && segments.embedded == 3, "the segment setting is part of the identity")
    }

    @Test func badFilesAreRecordedOnceAndRetriedWhenChanged() throws {
        let root = try SearchFixtures.temporaryFolder("failures")
        let music = root.appendingPathComponent("music")
        try FileManager.default.createDirectory(at: music, withIntermediateDirectories: true)
        _ = try SearchFixtures.library(count: 2, in: music)
        let bad = try SearchFixtures.badFiles(in: music)
        let catalog = try SQLiteCatalog(path: root.appendingPathComponent("library.sqlite").path)
        let indexer = try Self.indexer(SearchFixtures.tinyCheckpoint(in: root), catalog: catalog)
        let first = try indexer.run(folders: [music])
        #expect(first.embedded == 2)
        var kinds: [String: String] = [:]
        for failure in first.newFailures { kinds[URL(fileURLWithPath: failure.path).lastPathComponent] = failure.kind.rawValue }
        #expect(kinds == ["corrupt.wav": "corrupt", "truncated.wav": "truncated", "silent.wav": "silent", "short.wav": "too short"])
        #expect(first.failures.count == 4)
        #expect(first.newFailures.allSatisfy { $0.message.contains($0.path) }, "messages name the file")

        let second = try indexer.run(folders: [music])
        #expect(second.newFailures.isEmpty && second.unchanged == 6 && second.failures.count == 4, "not retried")

        try SearchFixtures.writeMusic(bad["silent"]!, seconds: 12, seed: 77)
        let third = try indexer.run(folders: [music])
        #expect(third.embedded == 1 && third.failures.count == 3, "a fixed file is retried and indexed")
    }

    @Test func aLibraryWithFivePercentBrokenFiles() throws {
        let root = try SearchFixtures.temporaryFolder("corrupt-library")
        let music = root.appendingPathComponent("music")
        try FileManager.default.createDirectory(at: music, withIntermediateDirectories: true)
        let good = try SearchFixtures.library(count: 38, seconds: 11, in: music)
        var broken: [URL] = []
        for index in 0..<2 {
            let url = music.appendingPathComponent("broken-\(index).wav")
            let whole = WaveFile.encode(SearchFixtures.music(seconds: 11, seed: 900 + UInt64(index)), sampleRate: SearchFixtures.sampleRate)
            var damaged = Data(whole.prefix(44))
            if index == 0 { damaged += whole.dropFirst(44).prefix(1000) } else { damaged = Data(repeating: 0xAB, count: whole.count) }
            try damaged.write(to: url)
            broken.append(url)
        }
        let catalog = try SQLiteCatalog(path: root.appendingPathComponent("library.sqlite").path)
        let report = try Self.indexer(SearchFixtures.tinyCheckpoint(in: root), catalog: catalog).run(folders: [music])
        #expect(report.found == 40)
        #expect(report.embedded == 38)
        for url in good { #expect(try catalog.track(path: LibraryWalker.canonicalPath(url.path)!) != nil, "\(url.lastPathComponent)") }
        #expect(Set(report.failures.map(\.path)) == Set(broken.map { LibraryWalker.canonicalPath($0.path)! }))
        // Each bad file is reported with its reason, in the run's report and in the catalogue (`duet index --failures`).
        var kinds: [String: String] = [:]
        for failure in report.failures { kinds[URL(fileURLWithPath: failure.path).lastPathComponent] = failure.kind.rawValue }
        #expect(kinds == ["broken-0.wav": "truncated", "broken-1.wav": "corrupt"])
        #expect(report.failures.allSatisfy { $0.message.contains($0.path) }, "messages name the file")
        #expect(Set(try catalog.failures().map(\.path)) == Set(report.failures.map(\.path)))
    }

    @Test func searchAndSimilarOverAnIndexedLibrary() throws {
        let root = try SearchFixtures.temporaryFolder("similar")
        let music = root.appendingPathComponent("music")
        try FileManager.default.createDirectory(at: music, withIntermediateDirectories: true)
        let files = try SearchFixtures.library(count: 6, in: music)
        let catalog = InMemoryCatalog()
        let indexer = try Self.indexer(SearchFixtures.tinyCheckpoint(in: root), catalog: catalog)
        _ = try indexer.run(folders: [music])
        let library = try LibrarySearch(catalog: catalog, name: "memory", model: indexer.model)
        #expect(library.trackCount == 6)
        let seed = try #require(try catalog.track(path: LibraryWalker.canonicalPath(files[0].path)!))
        let hits = try library.similar(to: [.track(id: seed.id)], options: SearchOptions(count: 10))
        #expect(hits.count == 5 && !hits.contains { $0.track.id == seed.id }, "the seed is left out")
        // A file outside the catalogue is embedded on the fly; a copy of an indexed track ranks it first.
        let copy = root.appendingPathComponent("copy.wav")
        try FileManager.default.copyItem(at: files[3], to: copy)
        let fromFile = try library.similar(to: [.file(copy)], options: SearchOptions(count: 1))
        #expect(fromFile.first?.track.path == LibraryWalker.canonicalPath(files[3].path))
        #expect(abs((fromFile.first?.score ?? 0) - 1) < 1e-4)
        #expect(throws: SearchError.unknownTrack(id: 999)) { try library.similar(to: [.track(id: 999)]) }
        #expect(throws: SearchError.noSeeds) { try library.similar(to: []) }
    }
}
