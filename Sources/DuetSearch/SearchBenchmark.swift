import DuetCatalog
import DuetRandom
import DuetTensor
import Foundation

/// The measurement behind `make bench-search`: exact top-k over random unit vectors, single queries
/// and batches, timed on the same vectors a peer (FAISS `IndexFlatIP`) reads.
public enum SearchBenchmark {
    /// `count` seeded unit vectors of `dimension` (standard normal entries, normalised), row-major.
    public static func unitVectors(count: Int, dimension: Int, seed: UInt64) -> [Float] {
        var vectors = [Float](repeating: 0, count: count * dimension)
        // Rows in independent streams so the vectors are the same whatever the thread count.
        vectors.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let buffer = buffer
            Parallelism.forEachChunk(count, minimumChunk: 4096) { rows in
                for row in rows {
                    var generator = SeededGenerator(seed: seed).derived(stream: UInt64(row))
                    var norm: Float = 0
                    for index in 0..<dimension {
                        let value = generator.nextNormal()
                        buffer[row * dimension + index] = value
                        norm += value * value
                    }
                    let scale = 1 / max(norm.squareRoot(), 1e-12)
                    for index in 0..<dimension { buffer[row * dimension + index] *= scale }
                }
            }
        }
        return vectors
    }

    /// A store over `matrix` with minimal tracks (ids 0..<count).
    public static func store(matrix: [Float], dimension: Int) -> VectorStore {
        let count = matrix.count / dimension
        let tracks = (0..<count).map { CatalogTrack(id: Int64($0), path: "", size: 0, modified: 0, contentHash: "", duration: 0, vector: []) }
        return VectorStore(dimension: dimension, matrix: matrix, tracks: tracks)
    }

    public struct Timing: Sendable {
        /// Mean seconds per single query (best of the repeats).
        public var single: Double
        /// Mean seconds per batch (best of the repeats).
        public var batch: Double
        /// Top-k ids of every query, `[queryCount, k]` row-major, from the batch runs.
        public var ids: [Int32]
    }

    /// Times `singleCount` single queries and the queries in batches of `batchSize`, best of `repeats`.
    public static func measure(store: VectorStore, queries: [Float], queryCount: Int, k: Int, batchSize: Int,
                               singleCount: Int, repeats: Int) throws -> Timing {
        let dimension = store.dimension
        let clock = ContinuousClock()
        func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
        _ = try store.search(Array(queries[0..<dimension]), k: k)  // warm-up: page in the matrix
        var single = Double.infinity
        for _ in 0..<repeats {
            let start = clock.now
            for query in 0..<singleCount {
                _ = try store.search(Array(queries[(query * dimension)..<((query + 1) * dimension)]), k: k)
            }
            single = min(single, seconds(clock.now - start) / Double(singleCount))
        }
        var batch = Double.infinity
        var ids: [Int32] = []
        let batches = queryCount / batchSize
        for _ in 0..<repeats {
            ids = []
            let start = clock.now
            for index in 0..<batches {
                let slice = Array(queries[(index * batchSize * dimension)..<((index + 1) * batchSize * dimension)])
                for hits in try store.search(batch: slice, queryCount: batchSize, k: k) { ids += hits.map { Int32($0.track.id) } }
            }
            batch = min(batch, seconds(clock.now - start) / Double(batches))
        }
        return Timing(single: single, batch: batch, ids: ids)
    }

    /// Peak resident memory of this process in bytes (`VmHWM`), or nil where /proc is absent.
    public static func peakResidentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let parts = line.split(separator: " ")
            if parts.count >= 2, let kilobytes = Int(parts[1]) { return kilobytes * 1024 }
        }
        return nil
    }
}
