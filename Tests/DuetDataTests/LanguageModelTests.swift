import DuetData
import DuetRandom
import Foundation
import Testing

/// A fake OpenAI-compatible model whose behaviour depends on the tags in the last user message:
/// `jazz` → 429 then 500 then an answer; `rock` → one answer slower than the client's timeout,
/// then an answer; `pop` → a caption inventing a genre; `funk` → always 503; anything else → a
/// faithful caption built from the tags.
final class FakeModel: @unchecked Sendable {
    private let lock = NSLock()
    private var attempts: [String: Int] = [:]
    private var times: [String: [Date]] = [:]

    /// Attempts the server saw for requests whose tags contain `word`, and their arrival times.
    func attempts(containing word: String) -> [Date] {
        lock.lock(); defer { lock.unlock() }
        return times.filter { $0.key.contains(word) }.flatMap(\.value).sorted()
    }
    var sawAuthorization = false

    func respond(_ body: String) -> LoopbackHTTPServer.Response {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
            object["model"] as? String == "fake-1", let messages = object["messages"] as? [[String: String]],
            messages.first?["role"] == "system", let last = messages.last?["content"], messages.count == 10
        else {
            return .init(status: 400, body: #"{"error":{"message":"bad request"}}"#)
        }
        lock.lock()
        attempts[last, default: 0] += 1
        let attempt = attempts[last]!
        times[last, default: []].append(Date())
        lock.unlock()
        let tags = last.replacingOccurrences(of: "Tags: ", with: "")
        func answer(_ text: String) -> LoopbackHTTPServer.Response {
            let payload: [String: Any] = ["id": "x", "object": "chat.completion", "model": "fake-1",
                                          "choices": [["index": 0, "message": ["role": "assistant", "content": text], "finish_reason": "stop"]]]
            return .init(status: 200, body: String(decoding: try! JSONSerialization.data(withJSONObject: payload), as: UTF8.self))
        }
        let faithful = "A piece described by " + tags.replacingOccurrences(of: ";", with: ",") + "."
        if tags.contains("jazz") {
            if attempt == 1 { return .init(status: 429, body: #"{"error":"slow down"}"#, headers: ["Retry-After": "0"]) }
            if attempt == 2 { return .init(status: 500, body: #"{"error":"oops"}"#) }
            return answer(faithful)
        }
        if tags.contains("rock") {
            if attempt == 1 { return .init(status: 200, body: "{}", delay: 2.5) }
            return answer(faithful)
        }
        if tags.contains("pop") { return answer(faithful + " With a touch of techno.") }
        if tags.contains("funk") { return .init(status: 503, body: #"{"error":"down"}"#) }
        return answer(faithful)
    }
}

@Suite("Language-model captions against a loopback server")
struct LanguageModelTests {
    func configuration(_ server: LoopbackHTTPServer) -> LanguageModelConfiguration {
        var configuration = LanguageModelConfiguration(url: server.baseURL, model: "fake-1", apiKey: "test-key")
        configuration.initialBackoff = 0.02
        configuration.maximumBackoff = 0.1
        configuration.maximumAttempts = 4
        configuration.timeout = 1.0
        configuration.concurrency = 3
        return configuration
    }

    @Test func retriesValidatesCachesAndFallsBack() async throws {
        let model = FakeModel()
        let server = try LoopbackHTTPServer { model.respond($0) }
        defer { server.stop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-llm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cacheURL = folder.appendingPathComponent("cache.jsonl")
        let lexicon = DescriptorLexicon(vocabulary: Fixtures.vocabulary, dictionary: Fixtures.dictionary)
        func captioner() throws -> LanguageModelCaptioner {
            LanguageModelCaptioner(
                client: ChatCompletionClient(configuration: configuration(server)), prompt: try CaptionPrompt.bundled(),
                cache: try CaptionCache(url: cacheURL), lexicon: lexicon, vocabulary: Fixtures.vocabulary)
        }
        let requests: [[String: [String]]] = [
            ["genre": ["jazz"], "mood": ["calm"]],
            ["genre": ["rock"], "instrument": ["drums"]],
            ["genre": ["pop"], "mood": ["happy"]],
            ["genre": ["funk"]],
            ["genre": ["folk"], "instrument": ["flute", "harp"]],
        ]
        let first = try captioner()
        let outcomes = await first.captions(for: requests)
        #expect(outcomes[0].caption == "A piece described by genre: jazz, mood: calm.", "\(outcomes[0])")
        #expect(outcomes[1].caption != nil, "timeout not retried: \(outcomes[1])")
        if case .rejected(_, _, let invented, _) = outcomes[2] { #expect(invented == ["techno"]) } else { Issue.record("pop accepted: \(outcomes[2])") }
        if case .failed = outcomes[3] {} else { Issue.record("funk did not fail: \(outcomes[3])") }
        #expect(outcomes[4].caption != nil)
        // The server saw jazz at least 3 times (429, 500, answer) and funk at most the 4 attempts.
        // Rock's first answer comes after 2.5 s, past the 1 s timeout: had the client waited, it
        // would have got "{}" and failed; its success proves the timeout was retried.
        #expect(model.attempts(containing: "jazz").count >= 3)
        #expect((1...4).contains(model.attempts(containing: "funk").count))
        #expect(model.attempts(containing: "rock").count >= 2)
        let counts = first.client.counts
        #expect(counts.retries >= 6 && counts.requests >= server.requests, "\(counts), server saw \(server.requests)")

        // A rerun answers from the cache: only the failed request is asked again.
        let second = try captioner()
        let again = await second.captions(for: requests)
        #expect(again[0] == .accepted("A piece described by genre: jazz, mood: calm.", cached: true))
        var report = LanguageModelCaptioner.Report()
        again.forEach { report.add($0) }
        #expect(report.cached == 4 && report.accepted == 3 && report.rejected == 1 && report.failed == 1, "\(report)")
        #expect(model.attempts(containing: "funk").count > 1)
    }

    @Test func augmentWithModelIsResumableAndIdempotent() async throws {
        let model = FakeModel()
        let server = try LoopbackHTTPServer { model.respond($0) }
        defer { server.stop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-augment-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let entries = [
            ManifestEntry(id: "a", audio: "a.wav", tags: ["genre": ["folk"], "mood": ["calm", "happy"], "instrument": ["flute"]], split: .train),
            ManifestEntry(id: "b", audio: "b.wav", tags: ["genre": ["funk"], "instrument": ["bass", "drums"]], split: .train),
            ManifestEntry(id: "c", audio: "c.wav", tags: ["genre": ["ambient"], "mood": ["dark"]], split: .train),
        ]
        let captioner = CaptionGenerator(vocabulary: Fixtures.vocabulary, dictionary: Fixtures.dictionary)
        let languageModel = LanguageModelCaptioner(
            client: ChatCompletionClient(configuration: configuration(server)), prompt: try CaptionPrompt.bundled(),
            cache: try CaptionCache(url: folder.appendingPathComponent("cache.jsonl")), lexicon: captioner.lexicon,
            vocabulary: Fixtures.vocabulary)
        var augmenter = ViewAugmenter(dropout: ViewDropout(viewCount: 4, captioner: captioner), seed: 7, languageModel: languageModel)
        augmenter.chunkSize = 2
        let output = folder.appendingPathComponent("views.jsonl")
        let report = try await augmenter.run(entries: entries, output: output)
        #expect(report.written == 3 && report.languageModel?.failed == 4 && report.languageModel?.accepted == 8, "\(String(describing: report))")
        let full = try Data(contentsOf: output)
        let items = try ItemViews.load(from: output)
        #expect(items.map(\.id) == ["a", "b", "c"])
        #expect(items[1].views.allSatisfy { $0.source == "template-fallback" })
        #expect(items[0].views.allSatisfy { $0.source == "llm" })

        // Simulate a crash after item "a" with a torn line, then resume.
        let firstLine = full.prefix(through: full.firstIndex(of: UInt8(ascii: "\n"))!)
        try (firstLine + Data(#"{"id":"b","se"#.utf8)).write(to: output)
        let resumed = try await augmenter.run(entries: entries, output: output)
        #expect(resumed.alreadyDone == 1 && resumed.written == 2)
        #expect(try Data(contentsOf: output) == full)
        let rerun = try await augmenter.run(entries: entries, output: output)
        #expect(rerun.written == 0 && rerun.alreadyDone == 3)

        var otherSeed = augmenter
        otherSeed.seed = 8
        await #expect(throws: DataFileError.self) { try await otherSeed.run(entries: entries, output: output) }
    }

    /// The paper's LLM tag-to-caption step reaches training: `duet augment` writes language-model
    /// captions into views.jsonl; the recipe built from that file prepares them as the items' views,
    /// and training batches draw them as positives.
    @Test func languageModelCaptionsReachTrainingBatches() async throws {
        let model = FakeModel()
        let server = try LoopbackHTTPServer { model.respond($0) }
        defer { server.stop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-llm-train-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let entries = [
            ManifestEntry(id: "a", audio: "a.wav", tags: ["genre": ["folk"], "mood": ["calm", "happy"], "instrument": ["flute"]], split: .train),
            ManifestEntry(id: "c", audio: "c.wav", tags: ["genre": ["ambient"], "mood": ["dark"]], split: .train),
        ]
        let captioner = CaptionGenerator(vocabulary: Fixtures.vocabulary, dictionary: Fixtures.dictionary)
        let languageModel = LanguageModelCaptioner(
            client: ChatCompletionClient(configuration: configuration(server)), prompt: try CaptionPrompt.bundled(),
            cache: try CaptionCache(url: folder.appendingPathComponent("cache.jsonl")), lexicon: captioner.lexicon,
            vocabulary: Fixtures.vocabulary)
        let augmenter = ViewAugmenter(dropout: ViewDropout(viewCount: 3, captioner: captioner), seed: 5, languageModel: languageModel)
        let output = folder.appendingPathComponent("views.jsonl")
        _ = try await augmenter.run(entries: entries, output: output)
        let written = Dictionary(uniqueKeysWithValues: try ItemViews.load(from: output).map { ($0.id, $0) })
        let modelViews = written.values.flatMap(\.views).filter { $0.source == "llm" }
        #expect(modelViews.count == 6, "every view captioned by the model: \(written)")
        let modelCaptions = Set(modelViews.map(\.caption))
        #expect(modelCaptions.allSatisfy { $0.hasPrefix("A piece described by ") })

        let recipe = Recipe(useCaptions: true, useViews: true, useTextSwap: true, viewCount: 10, seed: 1,
                            vocabulary: Fixtures.vocabulary, dictionary: Fixtures.dictionary)
        let views = entries.map { recipe.views(for: $0, augmented: written[$0.id]) }
        #expect(views.map(\.count) == [3, 3], "the views file's views, not ten drawn ones")
        #expect(Set(views.joined().compactMap(\.caption)) == modelCaptions)
        #expect(views.joined().allSatisfy { $0.captionSource == "llm" })
        var generator = SeededGenerator(seed: 2)
        var drawn = Set<String>()
        for _ in 0..<200 {
            drawn.formUnion(Recipe.batch(views: views, captionProbability: 1, swapProbability: 0, using: &generator).texts)
        }
        #expect(drawn == modelCaptions, "every language-model caption is drawn as a positive")
        // Without the views file the same recipe draws its own template captions.
        #expect(recipe.views(for: entries[0]).allSatisfy { $0.captionSource == "template" })
    }
}
