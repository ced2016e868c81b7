import DuetCatalog
import Foundation
import Testing

/// The rules every `Catalog` follows, written once and run against each backend (SQLite and in
/// memory in `CatalogTests`, PostgreSQL in `PostgresCatalogTests`).
enum CatalogRules {
    static let identity = ModelIdentity(digest: "00000000000000aa", dimension: 3, segmentCount: 6, segmentSeconds: 10, source: "/runs/a")

    static func track(_ path: String, vector: [Float] = [1, 0, 0], size: Int64 = 10) -> CatalogTrack {
        CatalogTrack(path: path, size: size, modified: 1_700_000_000.25, contentHash: "00000000000000ff", duration: 12.5,
                     title: "T \(path)", artist: "A", album: "B", genres: ["Folk", "Jazz"], year: 1999,
                     musicnnTags: ["guitar", "slow"], vector: vector)
    }

    static func tracksRoundTripAndKeepTheirIDs(_ catalog: any Catalog, _ name: String) throws {
        try catalog.adopt(identity)
        let vector: [Float] = [0.6, -0.8, Float.leastNonzeroMagnitude]
        try catalog.commit(CatalogBatch(tracks: [track("/m/a.wav", vector: vector), track("/m/b.wav")]))
        let stored = try #require(try catalog.track(path: "/m/a.wav"), "\(name)")
        #expect(stored.vector.map(\.bitPattern) == vector.map(\.bitPattern), "\(name): vectors are stored bit for bit")
        #expect(stored.genres == ["Folk", "Jazz"] && stored.musicnnTags == ["guitar", "slow"] && stored.year == 1999, "\(name)")
        #expect(stored.title == "T /m/a.wav" && stored.artist == "A" && stored.album == "B" && stored.duration == 12.5, "\(name)")
        #expect(stored.modified == 1_700_000_000.25, "\(name)")
        try catalog.commit(CatalogBatch(tracks: [track("/m/a.wav", vector: [0, 1, 0], size: 11)]))
        let updated = try #require(try catalog.track(id: stored.id), "\(name): the id survives re-indexing")
        #expect(updated.size == 11 && updated.vector == [0, 1, 0], "\(name)")
        #expect(try catalog.trackCount() == 2, "\(name)")
        var order: [String] = []
        try catalog.forEachTrack { order.append($0.path) }
        #expect(order == ["/m/a.wav", "/m/b.wav"], "\(name): tracks come in id order")
        var untagged = track("/m/c.wav")
        (untagged.title, untagged.artist, untagged.album, untagged.year, untagged.genres, untagged.musicnnTags) = (nil, nil, nil, nil, [], [])
        try catalog.commit(CatalogBatch(tracks: [untagged]))
        let bare = try #require(try catalog.track(path: "/m/c.wav"), "\(name)")
        #expect(bare.title == nil && bare.artist == nil && bare.year == nil && bare.genres.isEmpty, "\(name): missing tags stay missing")
    }

    static func aPathIsEitherATrackOrAFailure(_ catalog: any Catalog, _ name: String) throws {
        try catalog.adopt(identity)
        try catalog.commit(CatalogBatch(tracks: [track("/m/a.wav")]))
        let failure = CatalogFailure(path: "/m/a.wav", size: 3, modified: 2, kind: .truncated, message: "cut")
        try catalog.commit(CatalogBatch(failures: [failure]))
        #expect(try catalog.track(path: "/m/a.wav") == nil, "\(name)")
        #expect(try catalog.failures() == [failure], "\(name)")
        #expect(try catalog.fileStates()["/m/a.wav"]?.isFailure == true, "\(name)")
        try catalog.commit(CatalogBatch(tracks: [track("/m/a.wav")]))
        #expect(try catalog.failures().isEmpty, "\(name): a track replaces the failure")
        try catalog.commit(CatalogBatch(touched: [CatalogFileState(path: "/m/a.wav", size: 99, modified: 5, contentHash: "x")]))
        #expect(try catalog.track(path: "/m/a.wav")?.size == 99, "\(name)")
        try catalog.commit(CatalogBatch(removed: ["/m/a.wav"]))
        #expect(try catalog.fileStates().isEmpty, "\(name)")
    }

    static func anotherModelDropsEverything(_ catalog: any Catalog, _ name: String) throws {
        #expect(try catalog.modelIdentity() == nil, "\(name)")
        #expect(try catalog.adopt(identity) == false, "\(name)")
        try catalog.commit(CatalogBatch(tracks: [track("/m/a.wav")],
                                        failures: [CatalogFailure(path: "/m/b.wav", size: 1, modified: 1, kind: .silent, message: "quiet")]))
        var moved = identity
        moved.source = "/elsewhere"
        #expect(try catalog.adopt(moved) == false, "\(name): the same weights from another folder keep the vectors")
        var other = identity
        other.digest = "00000000000000bb"
        #expect(try catalog.adopt(other) == true, "\(name)")
        #expect(try catalog.trackCount() == 0 && catalog.failures().isEmpty, "\(name)")
        #expect(try catalog.modelIdentity() == other, "\(name)")
    }

    /// More tracks than one page of a paged reader, visited once each in id order.
    static func manyTracksAreVisitedInOrder(_ catalog: any Catalog, _ name: String) throws {
        try catalog.adopt(identity)
        let paths = (0..<2_345).map { String(format: "/m/%05d.wav", $0) }
        for chunk in stride(from: 0, to: paths.count, by: 500) {
            try catalog.commit(CatalogBatch(tracks: paths[chunk..<min(chunk + 500, paths.count)].map { track($0) }))
        }
        var visited: [String] = []
        var lastID: Int64 = 0
        var ordered = true
        try catalog.forEachTrack { track in
            visited.append(track.path)
            ordered = ordered && track.id > lastID
            lastID = track.id
        }
        #expect(visited == paths && ordered, "\(name)")
        #expect(try catalog.fileStates().count == paths.count, "\(name)")
    }
}
