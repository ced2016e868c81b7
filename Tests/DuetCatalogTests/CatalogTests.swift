import DuetCatalog
import Foundation
import Testing

/// The embedded backends, made fresh for each test.
enum EmbeddedBackend: String, CaseIterable, Sendable {
    case sqlite, memory

    func make() throws -> any Catalog {
        switch self {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-catalog-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return try SQLiteCatalog(path: folder.appendingPathComponent("library.sqlite").path)
        case .memory:
            return InMemoryCatalog()
        }
    }
}

/// The shared rules (`CatalogRules`) on SQLite and in memory, and SQLite's own file behaviour.
@Suite("catalogue rules, SQLite and in memory")
struct CatalogTests {
    @Test(arguments: EmbeddedBackend.allCases) func tracksRoundTripAndKeepTheirIDs(_ backend: EmbeddedBackend) throws {
        try CatalogRules.tracksRoundTripAndKeepTheirIDs(try backend.make(), backend.rawValue)
    }

    @Test(arguments: EmbeddedBackend.allCases) func aPathIsEitherATrackOrAFailure(_ backend: EmbeddedBackend) throws {
        try CatalogRules.aPathIsEitherATrackOrAFailure(try backend.make(), backend.rawValue)
    }

    @Test(arguments: EmbeddedBackend.allCases) func anotherModelDropsEverything(_ backend: EmbeddedBackend) throws {
        try CatalogRules.anotherModelDropsEverything(try backend.make(), backend.rawValue)
    }

    @Test(arguments: EmbeddedBackend.allCases) func manyTracksAreVisitedInOrder(_ backend: EmbeddedBackend) throws {
        try CatalogRules.manyTracksAreVisitedInOrder(try backend.make(), backend.rawValue)
    }

    @Test func sqliteReopensWithItsSchemaAndData() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("library.sqlite").path
        do {
            let catalog = try SQLiteCatalog(path: path)
            try catalog.adopt(CatalogRules.identity)
            try catalog.commit(CatalogBatch(tracks: [CatalogRules.track("/m/a.wav")]))
        }
        let reopened = try SQLiteCatalog(path: path)
        #expect(try reopened.trackCount() == 1)
        #expect(try reopened.modelIdentity() == CatalogRules.identity)
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
