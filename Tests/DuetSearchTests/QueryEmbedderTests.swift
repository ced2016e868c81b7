import DuetSearch
import Foundation
import Testing

/// The server's query queue: answers in order, batches what waits, caches, refuses past its bound,
/// passes errors on, and stops cleanly. The embedding is a test double (a vector made from the text).
@Suite struct QueryEmbedderTests {
    /// A deterministic stand-in for the text branch: the text's length and first scalar.
    static func vector(_ text: String) -> [Float] {
        [Float(text.count), Float(text.unicodeScalars.first?.value ?? 0)]
    }

    /// A batch embedding whose first call waits at a gate (so later queries queue up behind it), and
    /// which records the batches it was given.
    final class GatedEmbedding: @unchecked Sendable {
        let started = DispatchSemaphore(value: 0)
        let gate = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private var calls: [[String]] = []
        var failure: (any Error)?

        var batches: [[String]] { lock.withLock { calls } }

        func embed(_ texts: [String]) throws -> [[Float]] {
            let first = lock.withLock {
                calls.append(texts)
                return calls.count == 1
            }
            if first {
                started.signal()
                gate.wait()
            }
            if let failure { throw failure }
            return texts.map(QueryEmbedderTests.vector)
        }
    }

    /// Starts one query per text after the worker is blocked inside a first one, and returns once all of
    /// them wait in the embedder's queue.
    static func queueBehindFirst(
        _ embedder: QueryEmbedder, _ embedding: GatedEmbedding, texts: [String]
    ) async throws -> (first: Task<[Float], any Error>, rest: [Task<[Float], any Error>]) {
        let first = Task { try await embedder.embed("first query") }
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                embedding.started.wait()
                continuation.resume()
            }
        }
        let rest = texts.map { text in Task { try await embedder.embed(text) } }
        let deadline = ContinuousClock.now + .seconds(120)
        while embedder.statistics.waiting < texts.count {
            guard ContinuousClock.now < deadline else {
                Issue.record("only \(embedder.statistics.waiting) of \(texts.count) queries reached the queue in 120 s")
                break
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return (first, rest)
    }

    @Test func answersEveryQueryWithItsOwnVectorAndEmbedsARepeatedTextOnce() async throws {
        let embedding = GatedEmbedding()
        let embedder = QueryEmbedder(limits: .init(maximumBatch: 8, maximumWaiting: 100, cacheCapacity: 0)) {
            try embedding.embed($0)
        }
        let texts = ["slow piano", "fast fiddle", "dark synth", "calm strings", "slow piano", "happy pop", "  dreamy flute "]
        let (first, rest) = try await Self.queueBehindFirst(embedder, embedding, texts: texts)
        embedding.gate.signal()
        #expect(try await first.value == Self.vector("first query"))
        for (text, task) in zip(texts, rest) {
            #expect(try await task.value == Self.vector(text.trimmingCharacters(in: .whitespaces)), "\(text)")
        }
        // The seven waiting queries form one batch, in which the repeated "slow piano" is embedded once.
        let batches = embedding.batches
        #expect(batches.count == 2)
        #expect(batches.last?.count == 6)
        #expect(embedder.statistics.embedded == 7)
    }

    @Test func aBatchHoldsAtMostMaximumBatchTexts() async throws {
        let embedding = GatedEmbedding()
        let embedder = QueryEmbedder(limits: .init(maximumBatch: 3, maximumWaiting: 100, cacheCapacity: 0)) {
            try embedding.embed($0)
        }
        let texts = (1...7).map { "query number \($0)" }
        let (first, rest) = try await Self.queueBehindFirst(embedder, embedding, texts: texts)
        embedding.gate.signal()
        _ = try await first.value
        for (text, task) in zip(texts, rest) { #expect(try await task.value == Self.vector(text)) }
        let sizes = embedding.batches.dropFirst().map(\.count)
        #expect(sizes == [3, 3, 1])
    }

    @Test func repeatedQueriesComeFromTheCache() async throws {
        let embedding = GatedEmbedding()
        embedding.gate.signal()
        let embedder = QueryEmbedder(limits: .init(cacheCapacity: 8)) { try embedding.embed($0) }
        let once = try await embedder.embed("gentle folk voice")
        let twice = try await embedder.embed("  gentle folk voice\n")
        #expect(once == twice)
        #expect(embedding.batches.count == 1)
        #expect(embedder.statistics.cacheHits == 1)
    }

    @Test func theCacheStaysWithinItsCapacity() async throws {
        let embedding = GatedEmbedding()
        embedding.gate.signal()
        let embedder = QueryEmbedder(limits: .init(cacheCapacity: 4)) { try embedding.embed($0) }
        for index in 0..<10 { _ = try await embedder.embed("query \(index)") }
        // Capacity 4 keeps at most the last four: query 9 is cached, query 0 is embedded again.
        _ = try await embedder.embed("query 9")
        #expect(embedding.batches.count == 10)
        _ = try await embedder.embed("query 0")
        #expect(embedding.batches.count == 11)
    }

    @Test func refusesNewQueriesWhenTheQueueIsFull() async throws {
        let embedding = GatedEmbedding()
        let embedder = QueryEmbedder(limits: .init(maximumBatch: 8, maximumWaiting: 2, cacheCapacity: 0)) {
            try embedding.embed($0)
        }
        let (first, rest) = try await Self.queueBehindFirst(embedder, embedding, texts: ["a one", "a two"])
        await #expect(throws: SearchError.busy(waiting: 2)) { try await embedder.embed("a three") }
        #expect(embedder.statistics.refused == 1)
        embedding.gate.signal()
        _ = try await first.value
        for task in rest { _ = try await task.value }
    }

    @Test func anEmbeddingErrorReachesEveryWaiterAndTheWorkerGoesOn() async throws {
        struct EncoderMissing: Error, Equatable {}
        let embedding = GatedEmbedding()
        embedding.failure = EncoderMissing()
        let embedder = QueryEmbedder(limits: .init(cacheCapacity: 0)) { try embedding.embed($0) }
        let (first, rest) = try await Self.queueBehindFirst(embedder, embedding, texts: ["b one", "b two"])
        embedding.gate.signal()
        await #expect(throws: EncoderMissing.self) { try await first.value }
        for task in rest { await #expect(throws: EncoderMissing.self) { try await task.value } }
        embedding.failure = nil
        #expect(try await embedder.embed("b three") == Self.vector("b three"))
    }

    @Test func anEmptyQueryIsRefusedBeforeTheQueue() async throws {
        let embedder = QueryEmbedder { texts in texts.map(Self.vector) }
        await #expect(throws: SearchError.emptyQuery) { try await embedder.embed(" \n\t ") }
        #expect(embedder.statistics == QueryEmbedder.Statistics())
    }
}
