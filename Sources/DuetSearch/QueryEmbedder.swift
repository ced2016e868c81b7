import Foundation

/// Embeds the free-text queries of a server: many requests at once, one text encoder.
///
/// A query costs a text-encoder forward (MiniLM or e5, a few milliseconds of matrix products on every
/// core); a server's request handlers would otherwise run those forwards side by side on Swift's
/// cooperative pool, oversubscribe the cores and starve one another (the first load test timed out 266 of
/// 10,000 requests). Here requests wait in one first-in, first-out queue, and one worker thread embeds
/// whatever is waiting as one batch (at most ``Limits-swift.struct/maximumBatch`` texts, padded and
/// masked), so the cost of a forward is shared and latency grows evenly with load.
///
/// - A small cache keeps the embeddings of recent queries (people repeat queries; the page asks again for
///   "more"); a hit skips the queue.
/// - The queue is bounded: past ``Limits-swift.struct/maximumWaiting`` waiting queries a new one fails at
///   once with `SearchError.busy` (the server answers 503) instead of waiting without bound.
///
/// A batched embedding equals the single one up to float32 rounding (padding is masked); the ranking of
/// a query can therefore differ from `duet search` only between tracks whose scores tie to ~1e-6.
public final class QueryEmbedder: Sendable {
    public struct Limits: Sendable, Equatable {
        /// Most texts in one forward.
        public var maximumBatch: Int
        /// Most queries waiting for the worker before new ones are refused.
        public var maximumWaiting: Int
        /// Most embeddings kept in the cache (0 turns it off).
        public var cacheCapacity: Int

        public init(maximumBatch: Int = 32, maximumWaiting: Int = 1024, cacheCapacity: Int = 4096) {
            self.maximumBatch = max(1, maximumBatch)
            self.maximumWaiting = max(1, maximumWaiting)
            self.cacheCapacity = max(0, cacheCapacity)
        }
    }

    /// Counts since start, for logs and tests.
    public struct Statistics: Sendable, Equatable {
        /// Queries waiting for the worker now.
        public var waiting = 0
        public var cacheHits = 0
        public var embedded = 0
        public var batches = 0
        public var refused = 0

        public init() {}
    }

    /// Embeds a batch of non-empty, trimmed texts, one vector per text in order.
    public typealias BatchEmbedding = @Sendable ([String]) throws -> [[Float]]

    public let limits: Limits
    private let state: SharedState

    /// - Parameter embed: the batch embedding, e.g. `SearchModel.embedTexts`; called on the worker thread only.
    public init(limits: Limits = Limits(), embed: @escaping BatchEmbedding) {
        self.limits = limits
        state = SharedState(limits: limits)
        let state = self.state
        let worker = Thread { state.work(embed: embed) }
        worker.name = "duet.query-embedder"
        worker.start()
    }

    /// Stops the worker thread (nothing waits then: a waiting query keeps its embedder alive).
    deinit { state.stop() }

    /// The embedding of `text` (surrounding white space ignored).
    /// - Throws: `SearchError.emptyQuery`, `SearchError.busy` when the queue is full, or the embedding's errors.
    public func embed(_ text: String) async throws -> [Float] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw SearchError.emptyQuery }
        if let cached = state.cached(trimmed) { return cached }
        return try await withCheckedThrowingContinuation { continuation in
            state.enqueue(trimmed, continuation)
        }
    }

    public var statistics: Statistics { state.statistics }

    /// Queue, cache and counts behind one lock, shared with the worker thread (which must not keep the
    /// `QueryEmbedder` alive, so that dropping it stops the worker).
    private final class SharedState: @unchecked Sendable {
        typealias Waiter = (text: String, continuation: CheckedContinuation<[Float], any Error>)
        private let condition = NSCondition()
        private let limits: Limits
        private var waiting: [Waiter] = []
        private var stopped = false
        private var counts = Statistics()
        /// A bounded cache in two generations: hits in `older` move to `recent`; when `recent` is full it
        /// becomes `older` and the previous `older` is dropped. Every operation is O(1).
        private var recent: [String: [Float]] = [:]
        private var older: [String: [Float]] = [:]

        init(limits: Limits) { self.limits = limits }

        var statistics: Statistics {
            condition.withLock {
                var current = counts
                current.waiting = waiting.count
                return current
            }
        }

        func cached(_ text: String) -> [Float]? {
            condition.withLock {
                if let vector = recent[text] {
                    counts.cacheHits += 1
                    return vector
                }
                guard let vector = older.removeValue(forKey: text) else { return nil }
                counts.cacheHits += 1
                remember(text, vector)
                return vector
            }
        }

        func enqueue(_ text: String, _ continuation: CheckedContinuation<[Float], any Error>) {
            condition.lock()
            if stopped {
                condition.unlock()
                continuation.resume(throwing: CancellationError())
            } else if waiting.count >= limits.maximumWaiting {
                counts.refused += 1
                let limit = limits.maximumWaiting
                condition.unlock()
                continuation.resume(throwing: SearchError.busy(waiting: limit))
            } else {
                waiting.append((text, continuation))
                condition.signal()
                condition.unlock()
            }
        }

        func stop() {
            condition.lock()
            stopped = true
            let abandoned = waiting
            waiting = []
            condition.broadcast()
            condition.unlock()
            for waiter in abandoned { waiter.continuation.resume(throwing: CancellationError()) }
        }

        /// The worker: takes up to `maximumBatch` waiting queries, first come first served, embeds their
        /// distinct texts in one call, answers every waiter, and remembers the vectors.
        func work(embed: BatchEmbedding) {
            while true {
                condition.lock()
                while waiting.isEmpty && !stopped { condition.wait() }
                if stopped {
                    condition.unlock()
                    return
                }
                let batch = Array(waiting.prefix(limits.maximumBatch))
                waiting.removeFirst(batch.count)
                condition.unlock()

                var texts: [String] = []
                var positions: [String: Int] = [:]
                let rows = batch.map { waiter in
                    if let row = positions[waiter.text] { return row }
                    positions[waiter.text] = texts.count
                    texts.append(waiter.text)
                    return texts.count - 1
                }
                do {
                    let vectors = try embed(texts)
                    precondition(vectors.count == texts.count, "a batch embedding returned \(vectors.count) vectors for \(texts.count) texts")
                    condition.withLock {
                        counts.batches += 1
                        counts.embedded += texts.count
                        for (text, vector) in zip(texts, vectors) { remember(text, vector) }
                    }
                    for (waiter, row) in zip(batch, rows) { waiter.continuation.resume(returning: vectors[row]) }
                } catch {
                    for waiter in batch { waiter.continuation.resume(throwing: error) }
                }
            }
        }

        /// Caller holds the lock.
        private func remember(_ text: String, _ vector: [Float]) {
            guard limits.cacheCapacity > 0 else { return }
            if recent.count >= (limits.cacheCapacity + 1) / 2 {
                older = recent
                recent = [:]
            }
            recent[text] = vector
        }
    }
}
