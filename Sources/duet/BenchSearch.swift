import ArgumentParser
import DuetSearch
import DuetTensor
import Foundation

/// Times exact top-k search over random unit vectors, for `make bench-search`
/// (Scripts/bench/search.sh compares it with FAISS IndexFlatIP on the same vectors).
struct BenchSearch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-search",
        abstract: "Measure top-k search latency over random unit vectors (single queries and batches).")

    @Option(help: "Catalogue size (1-10000000).") var count = 1_000_000
    @Option(help: "Vector width (1-4096).") var dimension = 256
    @Option(help: "Queries (a multiple of --batch).") var queries = 640
    @Option(help: "Queries per batch (1-4096).") var batch = 64
    @Option(help: "Single queries timed.") var single = 50
    @Option(name: .short, help: "Results per query (1-1000).") var k = 10
    @Option(help: "Timed repetitions; the best is reported.") var repeats = 3
    @Option(help: "Folder for base.f32, queries.f32 and duet-ids.i32 (read by the peer).") var out: String?
    @Option(help: "Seed of the vectors.") var seed: UInt64 = 0

    func validate() throws {
        guard (1...10_000_000).contains(count) else { throw ValidationError("--count must be between 1 and 10000000, got \(count)") }
        guard (1...4096).contains(dimension) else { throw ValidationError("--dimension must be between 1 and 4096, got \(dimension)") }
        guard (1...4096).contains(batch) else { throw ValidationError("--batch must be between 1 and 4096, got \(batch)") }
        guard queries >= batch, queries % batch == 0 else { throw ValidationError("--queries must be a positive multiple of --batch (\(batch)), got \(queries)") }
        guard (1...queries).contains(single) else { throw ValidationError("--single must be between 1 and --queries (\(queries)), got \(single)") }
        guard (1...1000).contains(k) else { throw ValidationError("-k must be between 1 and 1000, got \(k)") }
        guard (1...100).contains(repeats) else { throw ValidationError("--repeats must be between 1 and 100, got \(repeats)") }
        if let out {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--out \(out) is not an existing folder")
            }
        }
    }

    func run() throws {
        let base = SearchBenchmark.unitVectors(count: count, dimension: dimension, seed: seed)
        let queryVectors = SearchBenchmark.unitVectors(count: queries, dimension: dimension, seed: seed &+ 1)
        if let out {
            try write(base, to: "\(out)/base.f32")
            try write(queryVectors, to: "\(out)/queries.f32")
        }
        let store = SearchBenchmark.store(matrix: base, dimension: dimension)
        let timing = try SearchBenchmark.measure(store: store, queries: queryVectors, queryCount: queries, k: k, batchSize: batch,
                                                 singleCount: single, repeats: repeats)
        if let out {
            try timing.ids.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: "\(out)/duet-ids.i32")) }
        }
        let vectorMegabytes = Double(count * dimension * 4) / 1e6
        let perMillion = vectorMegabytes * 1e6 / Double(count)
        let peak = SearchBenchmark.peakResidentBytes().map { String(format: "%.0f", Double($0) / 1e6) } ?? "n/a"
        print(String(format: "duet count=%d dimension=%d threads=%d single_ms=%.3f batch%d_ms=%.3f vectors_mb=%.0f mb_per_million=%.0f peak_rss_mb=%@",
                     count, dimension, Parallelism.threadCount, timing.single * 1000, batch, timing.batch * 1000, vectorMegabytes, perMillion, peak))
    }

    private func write(_ values: [Float], to path: String) throws {
        try values.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: path)) }
    }
}
