import DuetCatalog
import DuetRandom
@testable import DuetSearch
import DuetTensor
import DuetTestSupport
import Foundation
import Testing

@Suite("vector store: exact top-k, filters, diversity, playlists")
struct VectorStoreTests {
    static func unitVectors(_ count: Int, dimension: Int, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        var values: [Float] = []
        for _ in 0..<count {
            values += SearchModel.normalised((0..<dimension).map { _ in generator.nextNormal() })
        }
        return values
    }

    static func store(count: Int, dimension: Int, seed: UInt64) -> VectorStore {
        let tracks = (0..<count).map { CatalogTrack(id: Int64($0 + 1), path: "/m/\($0).wav", size: 1, modified: 0, contentHash: "", duration: 60, vector: []) }
        return VectorStore(dimension: dimension, matrix: unitVectors(count, dimension: dimension, seed: seed), tracks: tracks)
    }

    /// Dot products of 32-d unit vectors: each float32 product and sum adds at most one rounding
    /// of 2⁻²⁴ relative, so 32 terms of magnitude ≤ 1 differ from the exact sum by ≤ 32 · 2⁻²⁴ ≈ 1.9e-6.
    static let scoreTolerance: Float = 32 * 0x1p-24

    @Test func topKMatchesBruteForce() throws {
        let dimension = 32, count = 20_000  // three blocks, the last partial
        let store = Self.store(count: count, dimension: dimension, seed: 3)
        let queries = Self.unitVectors(5, dimension: dimension, seed: 4)
        for query in 0..<5 {
            let vector = Array(queries[(query * dimension)..<((query + 1) * dimension)])
            let exact = (0..<count).map { row -> Double in
                (0..<dimension).reduce(0.0) { $0 + Double(store.matrix[row * dimension + $1]) * Double(vector[$1]) }
            }
            let hits = try store.search(vector, k: 10)
            #expect(hits.count == 10)
            let tenth = exact.sorted(by: >)[9]
            for hit in hits {
                let row = Int(hit.track.id - 1)
                #expect(abs(Double(hit.score) - exact[row]) <= Double(Self.scoreTolerance), "score of row \(row)")
                #expect(exact[row] >= tenth - Double(2 * Self.scoreTolerance), "row \(row) is not among the exact top 10")
            }
            #expect(zip(hits, hits.dropFirst()).allSatisfy { $0.score >= $1.score }, "best first")
        }
    }

    @Test func resultsDoNotDependOnTheThreadCount() throws {
        let store = Self.store(count: 30_000, dimension: 16, seed: 5)
        let queries = Self.unitVectors(3, dimension: 16, seed: 6)
        let original = Parallelism.threadCount
        defer { Parallelism.setThreadCount(original) }
        Parallelism.setThreadCount(1)
        let serial = try store.search(batch: queries, queryCount: 3, k: 7)
        Parallelism.setThreadCount(2)
        let parallel = try store.search(batch: queries, queryCount: 3, k: 7)
        for (a, b) in zip(serial, parallel) {
            #expect(a.map(\.track.id) == b.map(\.track.id))
            expectClose(a.map(\.score), b.map(\.score), .reordered(terms: 256, magnitude: 1), "1 vs 2 threads scores (256-term unit-vector products)")
        }
    }

    @Test func batchEqualsSingleQueries() throws {
        let store = Self.store(count: 9000, dimension: 16, seed: 8)
        let queries = Self.unitVectors(4, dimension: 16, seed: 9)
        let batch = try store.search(batch: queries, queryCount: 4, k: 5)
        for query in 0..<4 {
            let single = try store.search(Array(queries[(query * 16)..<((query + 1) * 16)]), k: 5)
            #expect(single.map(\.track.id) == batch[query].map(\.track.id))
        }
    }

    static func tagged() throws -> VectorStore {
        // Five tracks in a line of decreasing similarity to the query [1, 0].
        let rows: [(String, String?, String?, [String], Double)] = [
            ("/music/folk/a.flac", "Ann", "First", ["Folk"], 200),
            ("/music/folk/b.flac", "Ann", "First", ["Folk"], 100),
            ("/music/jazz/c.mp3", "Ann", "Second", ["Jazz"], 300),
            ("/music/jazzy/d.mp3", "Bob", nil, ["jazz"], 50),
            ("/music/e.ogg", nil, nil, [], 400),
        ]
        let tracks = rows.enumerated().map { index, row in
            let angle = Float(index) * 0.2
            return CatalogTrack(id: Int64(index + 1), path: row.0, size: 1, modified: 0, contentHash: "", duration: row.4,
                                artist: row.1, album: row.2, genres: row.3, musicnnTags: index == 4 ? ["Jazz"] : [],
                                vector: [cos(angle), sin(angle)])
        }
        return try VectorStore(dimension: 2, tracks: tracks)
    }

    @Test func filtersNarrowTheResults() throws {
        let store = try Self.tagged()
        func ids(_ filter: SearchFilter) throws -> [Int64] { try store.search([1, 0], k: 10, filter: filter).map(\.track.id) }
        #expect(try ids(SearchFilter()) == [1, 2, 3, 4, 5])
        #expect(try ids(SearchFilter(genre: "JAZZ")) == [3, 4, 5], "file genres and musicnn tags, any case")
        #expect(try ids(SearchFilter(artist: "an")) == [1, 2, 3])
        #expect(try ids(SearchFilter(minimumDuration: 100, maximumDuration: 300)) == [1, 2, 3])
        #expect(try ids(SearchFilter(pathPrefix: "/music/jazz/")) == [3], "whole path components only")
        #expect(try ids(SearchFilter(genre: "jazz", artist: "bob")) == [4])
        #expect(try store.search([1, 0], k: 10, excluding: [1, 3]).map(\.track.id) == [2, 4, 5])
    }

    @Test func diversityKeepsTheBestOfEachArtistAndAlbum() throws {
        let store = try Self.tagged()
        #expect(try store.search([1, 0], k: 3, diversity: Diversity(maxPerArtist: 1)).map(\.track.id) == [1, 4, 5])
        #expect(try store.search([1, 0], k: 10, diversity: Diversity(maxPerAlbum: 1)).map(\.track.id) == [1, 3, 4, 5])
        #expect(try store.search([1, 0], k: 2, diversity: Diversity(maxPerArtist: 2, maxPerAlbum: 1)).map(\.track.id) == [1, 3])
    }

    @Test func diversityReachesKWhenTheTopIsOneArtist() throws {
        // 200 tracks of one artist ahead of 3 of others: the search must widen past 4k candidates.
        var tracks: [CatalogTrack] = []
        for index in 0..<203 {
            let angle = Float(index) * 0.005
            tracks.append(CatalogTrack(id: Int64(index + 1), path: "/m/\(index)", size: 1, modified: 0, contentHash: "", duration: 1,
                                       artist: index < 200 ? "Same" : "Other \(index)", vector: [cos(angle), sin(angle)]))
        }
        let store = try VectorStore(dimension: 2, tracks: tracks)
        let hits = try store.search([1, 0], k: 4, diversity: Diversity(maxPerArtist: 1))
        #expect(hits.map(\.track.id) == [1, 201, 202, 203])
    }

    @Test func rejectsAQueryOfAnotherWidth() throws {
        let store = try Self.tagged()
        #expect(throws: SearchError.dimensionMismatch(expected: 2, got: 3)) { try store.search([1, 0, 0], k: 1) }
    }

    @Test func optionsAreRangeChecked() {
        #expect(throws: SearchError.self) { try SearchOptions(count: 0).validate() }
        #expect(throws: SearchError.self) { try SearchOptions(count: 10_001).validate() }
        #expect(throws: SearchError.self) { try SearchOptions(diversity: Diversity(maxPerArtist: 0)).validate() }
        #expect(throws: SearchError.self) { try SearchOptions(filter: SearchFilter(minimumDuration: 10, maximumDuration: 5)).validate() }
        #expect(throws: Never.self) { try SearchOptions(count: 20).validate() }
    }

    @Test func playlistListsTracksInOrder() throws {
        let store = try Self.tagged()
        let hits = try store.search([1, 0], k: 2)
        #expect(M3UPlaylist.text(hits) == """
            #EXTM3U
            #EXTINF:200,Ann - a.flac
            /music/folk/a.flac
            #EXTINF:100,Ann - b.flac
            /music/folk/b.flac

            """)
    }

    @Test func segmentsAreSpreadEvenly() {
        #expect(SegmentPlan(duration: 7, length: 10, maximumCount: 6).segments.map(\.start) == [0])
        #expect(SegmentPlan(duration: 7, length: 10, maximumCount: 6).segments.map(\.end) == [7])
        #expect(SegmentPlan(duration: 30, length: 10, maximumCount: 1).segments.map(\.start) == [10])
        #expect(SegmentPlan(duration: 25, length: 10, maximumCount: 6).segments.map(\.start) == [3.75, 11.25])
        let long = SegmentPlan(duration: 250, length: 10, maximumCount: 6).segments
        #expect(long.count == 6)
        #expect(zip(long, long.dropFirst()).allSatisfy { $1.start - $0.start == 40 }, "equal spacing")
        #expect(long.first!.start == 20 && long.last!.end == 230)
    }
}
