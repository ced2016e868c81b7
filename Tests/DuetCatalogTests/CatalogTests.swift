import DuetCatalog
import Foundation
import Testing

/// The same rules for both implementations of `Catalog`.
@Suite("catalogue rules, SQLite and in memory")
struct CatalogTests {
    static let identity = ModelIdentity(digest: "00000000000000aa", dimension: 3, segmentCount: 6, segmentSeconds: 10, source: "/runs/a")

    static func track(_ path: String, vector: [Float] = [1, 0, 0], size: Int64 = 10) -> CatalogTrack {
        CatalogTrack(path: path, size: size, modified: 1_700_000_000.25, contentHash: "00000000000000ff", duration: 12.5,
                     title: "T \(path)", artist: "A", album: "B", genres: ["Folk", "Jazz"], year: 1999,
                     musicnnTags: ["guitar", "slow"], vector: vector)
    }

    static func catalogues() throws -> [(String, any Catalog)] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return [("sqlite", try SQLiteCatalog(path: folder.appendingPathComponent("library.sqlite").path)), ("memory", InMemoryCatalog())]
    }

    @Test func tracksRoundTripAndKeepTheirIDs() throws {
        for (name, catalog) in try Self.catalogues() {
            try catalog.adopt(Self.identity)
            let vector: [Float] = [0.6, -0.8, Float.leastNonzeroMagnitude]
            try catalog.commit(CatalogBatch(tracks: [Self.track("/m/a.wav", vector: vector), Self.track("/m/b.wav")]))
            let stored = try #require(try catalog.track(path: "/m/a.wav"), "\(name)")
            #expect(stored.vector.map(\.bitPattern) == vector.map(\.bitPattern), "\(name): vectors are stored bit for bit")
            #expect(stored.genres == ["Folk", "Jazz"] && stored.musicnnTags == ["guitar", "slow"] && stored.year == 1999, "\(name)")
            #expect(stored.modified == 1_700_000_000.25, "\(name)")
            try catalog.commit(CatalogBatch(tracks: [Self.track("/m/a.wav", vector: [0, 1, 0], size: 11)]))
            let updated = try #require(try catalog.track(id: stored.id), "\(name): the id survives re-indexing")
            #expect(updated.size == 11 && updated.vector == [0, 1, 0], "\(name)")
            #expect(try catalog.trackCount() == 2, "\(name)")
            var order: [String] = []
            try catalog.forEachTrack { order.append($0.path) }
            #expect(order == ["/m/a.wav", "/m/b.wav"], "\(name): tracks come in id order")
        }
    }

    @Test func aPathIsEitherATrackOrAFailure() throws {
        for (name, catalog) in try Self.catalogues() {
            try catalog.adopt(Self.identity)
            try catalog.commit(CatalogBatch(tracks: [Self.track("/m/a.wav")]))
            let failure = CatalogFailure(path: "/m/a.wav", size: 3, modified: 2, kind: .truncated, message: "cut")
            try catalog.commit(CatalogBatch(failures: [failure]))
            #expect(try catalog.track(path: "/m/a.wav") == nil, "\(name)")
            #expect(try catalog.failures() == [failure], "\(name)")
            #expect(try catalog.fileStates()["/m/a.wav"]?.isFailure == true, "\(name)")
            try catalog.commit(CatalogBatch(tracks: [Self.track("/m/a.wav")]))
            #expect(try catalog.failures().isEmpty, "\(name): a track replaces the failure")
            try catalog.commit(CatalogBatch(touched: [CatalogFileState(path: "/m/a.wav", size: 99, modified: 5, contentHash: "x")]))
            #expect(try catalog.track(path: "/m/a.wav")?.size == 99, "\(name)")
            try catalog.commit(CatalogBatch(removed: ["/m/a.wav"]))
            #expect(try catalog.fileStates().isEmpty, "\(name)")
        }
    }

    @Test func anotherModelDropsEverything() throws {
        for (name, catalog) in try Self.catalogues() {
            #expect(try catalog.modelIdentity() == nil, "\(name)")
            #expect(try catalog.adopt(Self.identity) == false, "\(name)")
            try catalog.commit(CatalogBatch(tracks: [Self.track("/m/a.wav")],
                                            failures: [CatalogFailure(path: "/m/b.wav", size: 1, modified: 1, kind: .silent, message: "quiet")]))
            var moved = Self.identity
            moved.source = "/elsewhere"
            #expect(try catalog.adopt(moved) == false, "\(name): the same weights from another folder keep the vectors")
            var other = Self.identity
            other.digest = "00000000000000bb"
            #expect(try catalog.adopt(other) == true, "\(name)")
            #expect(try catalog.trackCount() == 0 && catalog.failures().isEmpty, "\(name)")
            #expect(try catalog.modelIdentity() == other, "\(name)")
        }
    }

    @Test func sqliteReopensWithItsSchemaAndData() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("library.sqlite").path
        do {
            let catalog = try SQLiteCatalog(path: path)
            try catalog.adopt(Self.identity)
            try catalog.commit(CatalogBatch(tracks: [Self.track("/m/a.wav")]))
        }
        let reopened = try SQLiteCatalog(path: path)
        #expect(try reopened.trackCount() == 1)
        #expect(try reopened.modelIdentity() == Self.identity)
        #expect(FileManager.default.fileExists(atPath: path + "-wal"), "the catalogue runs in WAL mode")
    }

    @Test func aFileThatIsNotADatabaseIsAClearError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("notes.sqlite").path
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        #expect(throws: CatalogError.self) { try SQLiteCatalog(path: path) }
    }
}
