import DuetCatalog
import DuetTensor
import Foundation

/// The catalogue's vectors in memory as one row-major float32 matrix `[count, dimension]`, with
/// each row's track (without its vector) for filters and results. Immutable once built, so one
/// store answers any number of concurrent searches.
///
/// Search is exact: scores `s = M · q` (cosine similarity, as rows and queries are unit vectors)
/// come from sgemm over fixed blocks of `blockRows` rows, each block on one thread with its own
/// top-k heap, and the heaps are merged. Blocks do not depend on the thread count, so neither do
/// the scores or the results. Memory: `4 · dimension` bytes per track (1.02 GB per million
/// 256-d tracks) plus the tags.
public final class VectorStore: Sendable {
    public let dimension: Int
    /// Row `i`'s track, `vector` left empty.
    public let tracks: [CatalogTrack]
    let matrix: [Float]
    let rowByID: [Int64: Int]
    /// Rows per sgemm block: 8192 × 256 floats are 8 MB, small enough for the cache-blocked kernel.
    static let blockRows = 8192

    public var count: Int { tracks.count }

    /// A store of `tracks` (their vectors, each `dimension` wide, become the matrix).
    /// - Throws: `SearchError.dimensionMismatch` for a vector of another width.
    public convenience init(dimension: Int, tracks: [CatalogTrack]) throws {
        var matrix: [Float] = []
        matrix.reserveCapacity(tracks.count * dimension)
        var stripped: [CatalogTrack] = []
        stripped.reserveCapacity(tracks.count)
        for var track in tracks {
            guard track.vector.count == dimension else { throw SearchError.dimensionMismatch(expected: dimension, got: track.vector.count) }
            matrix += track.vector
            track.vector = []
            stripped.append(track)
        }
        self.init(dimension: dimension, matrix: matrix, tracks: stripped)
    }

    /// A store over a ready matrix `[tracks.count, dimension]` (tracks without vectors).
    public init(dimension: Int, matrix: [Float], tracks: [CatalogTrack]) {
        precondition(dimension > 0 && matrix.count == tracks.count * dimension,
                     "\(matrix.count) values for \(tracks.count) rows of \(dimension)")
        self.dimension = dimension
        self.matrix = matrix
        self.tracks = tracks
        var rows: [Int64: Int] = [:]
        rows.reserveCapacity(tracks.count)
        for (row, track) in tracks.enumerated() { rows[track.id] = row }
        rowByID = rows
    }

    /// Every track of `catalog`, streamed row by row into the matrix.
    /// - Throws: `SearchError.emptyCatalogue` when the catalogue has no model yet; the catalogue's errors.
    public static func load(from catalog: Catalog, name: String) throws -> VectorStore {
        guard let identity = try catalog.modelIdentity() else { throw SearchError.emptyCatalogue(path: name) }
        var matrix: [Float] = []
        var tracks: [CatalogTrack] = []
        try catalog.forEachTrack { track in
            guard track.vector.count == identity.dimension else {
                throw SearchError.dimensionMismatch(expected: identity.dimension, got: track.vector.count)
            }
            matrix += track.vector
            var stripped = track
            stripped.vector = []
            tracks.append(stripped)
        }
        return VectorStore(dimension: identity.dimension, matrix: matrix, tracks: tracks)
    }

    public func track(id: Int64) -> CatalogTrack? { rowByID[id].map { tracks[$0] } }

    /// The stored vector of track `id`.
    public func vector(id: Int64) -> [Float]? {
        rowByID[id].map { Array(matrix[($0 * dimension)..<(($0 + 1) * dimension)]) }
    }

    /// The `k` tracks most similar to `query` that pass `filter`, are not in `excluding`, and
    /// respect `diversity`, best first (equal scores: lower row first).
    ///
    /// With diversity limits, candidates are taken best first in rounds of growing size (`4k`,
    /// `16k`, ...) until `k` survive the limits or every track was seen: the result is the exact
    /// greedy top-k under the limits.
    /// - Throws: `SearchError.dimensionMismatch` for a query of another width.
    public func search(
        _ query: [Float], k: Int, filter: SearchFilter = SearchFilter(), diversity: Diversity = Diversity(),
        excluding: Set<Int64> = []
    ) throws -> [SearchHit] {
        guard query.count == dimension else { throw SearchError.dimensionMismatch(expected: dimension, got: query.count) }
        guard k > 0, count > 0 else { return [] }
        let allowed: [Bool]? = filter.isEmpty && excluding.isEmpty
            ? nil : tracks.map { filter.accepts($0) && !excluding.contains($0.id) }
        var limit = diversity.isEmpty ? k : 4 * k
        while true {
            let candidates = topRows(queries: query, queryCount: 1, k: limit, allowed: allowed)[0]
            let hits = Self.diversify(candidates.map { SearchHit(track: tracks[$0.row], score: $0.score) }, k: k, diversity: diversity)
            if hits.count >= k || candidates.count < limit || limit >= count { return hits }
            limit = min(count, limit * 4)
        }
    }

    /// Unfiltered top-k of a batch of queries (`queries`: `[queryCount, dimension]` row-major).
    public func search(batch queries: [Float], queryCount: Int, k: Int) throws -> [[SearchHit]] {
        guard queries.count == queryCount * dimension else {
            throw SearchError.dimensionMismatch(expected: dimension, got: queryCount == 0 ? 0 : queries.count / queryCount)
        }
        return topRows(queries: queries, queryCount: queryCount, k: k, allowed: nil).map { rows in
            rows.map { SearchHit(track: tracks[$0.row], score: $0.score) }
        }
    }

    /// The greedy pass of the diversity limits over best-first `hits`.
    static func diversify(_ hits: [SearchHit], k: Int, diversity: Diversity) -> [SearchHit] {
        guard !diversity.isEmpty else { return Array(hits.prefix(k)) }
        var perArtist: [String: Int] = [:]
        var perAlbum: [String: Int] = [:]
        var kept: [SearchHit] = []
        for hit in hits where kept.count < k {
            let artist = hit.track.artist?.lowercased()
            let album = hit.track.album.map { "\(artist ?? "")\u{1F}\($0.lowercased())" }
            if let limit = diversity.maxPerArtist, let artist, perArtist[artist, default: 0] >= limit { continue }
            if let limit = diversity.maxPerAlbum, let album, perAlbum[album, default: 0] >= limit { continue }
            if let artist { perArtist[artist, default: 0] += 1 }
            if let album { perAlbum[album, default: 0] += 1 }
            kept.append(hit)
        }
        return kept
    }

    /// The best `k` allowed rows for each query: blocks of `blockRows` rows are scored by one
    /// sgemm each (`[queryCount, dimension] × [rows, dimension]ᵀ`) on Duet's threads with serial
    /// BLAS, each thread keeping a heap per query; the heaps are merged in block order.
    func topRows(queries: [Float], queryCount: Int, k: Int, allowed: [Bool]?) -> [[(row: Int, score: Float)]] {
        let blockCount = (count + Self.blockRows - 1) / Self.blockRows
        let threads = max(1, min(Parallelism.threadCount, blockCount))
        var partial = [[TopKSelector]](repeating: [], count: threads)
        Parallelism.withSerialBLAS {
            partial.withUnsafeMutableBufferPointer { partial in
                nonisolated(unsafe) let partial = partial
                Parallelism.forEachChunk(threads, minimumChunk: 1) { range in
                    for thread in range {
                        var heaps = (0..<queryCount).map { _ in TopKSelector(capacity: k) }
                        var scores = [Float](repeating: 0, count: queryCount * Self.blockRows)
                        // Thread t takes blocks t, t + threads, ...: the same blocks whatever the split.
                        for block in stride(from: thread, to: blockCount, by: threads) {
                            scoreBlock(block, queries: queries, queryCount: queryCount, into: &scores, heaps: &heaps, allowed: allowed)
                        }
                        partial[thread] = heaps
                    }
                }
            }
        }
        return (0..<queryCount).map { query in
            var merged = TopKSelector(capacity: k)
            for heaps in partial {
                for (row, score) in zip(heaps[query].rows, heaps[query].scores) { merged.offer(score, row: row) }
            }
            return merged.sorted()
        }
    }

    private func scoreBlock(
        _ block: Int, queries: [Float], queryCount: Int, into scores: inout [Float], heaps: inout [TopKSelector], allowed: [Bool]?
    ) {
        let first = block * Self.blockRows
        let rows = min(Self.blockRows, count - first)
        matrix.withUnsafeBufferPointer { matrix in
            queries.withUnsafeBufferPointer { queries in
                scores.withUnsafeMutableBufferPointer { scores in
                    sgemm(queries.baseAddress!, matrix.baseAddress! + first * dimension, scores.baseAddress!,
                          m: queryCount, n: rows, k: dimension, transposeB: true)
                }
            }
        }
        scores.withUnsafeBufferPointer { scores in
            for query in 0..<queryCount {
                let base = query * rows
                var threshold = heaps[query].threshold
                for offset in 0..<rows where scores[base + offset] >= threshold {
                    let row = first + offset
                    if let allowed, !allowed[row] { continue }
                    heaps[query].offer(scores[base + offset], row: row)
                    threshold = heaps[query].threshold
                }
            }
        }
    }
}
