import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Where and how to reach an OpenAI-compatible chat-completions endpoint.
public struct LanguageModelConfiguration: Sendable {
    /// The endpoint: a full `.../chat/completions` URL, or a base such as `http://127.0.0.1:8080/v1`
    /// to which `/chat/completions` is appended.
    public var url: URL
    public var model: String
    public var apiKey: String?
    public var temperature = 0.7
    public var maximumTokens = 120
    /// Requests in flight at once.
    public var concurrency = 4
    /// Attempts per request, the first included.
    public var maximumAttempts = 5
    /// Backoff before retry `n` (1-based): `min(maximumBackoff, initialBackoff · 2^(n−1))` seconds,
    /// or the server's `Retry-After` when it is larger (capped by `maximumBackoff`).
    public var initialBackoff = 1.0
    public var maximumBackoff = 30.0
    /// Seconds without an answer before a request counts as timed out (and is retried).
    public var timeout = 60.0

    public init(url: URL, model: String, apiKey: String? = nil) {
        self.url = url
        self.model = model
        self.apiKey = apiKey
    }

    /// The endpoint URL that requests go to.
    public var endpoint: URL {
        url.path.hasSuffix("/chat/completions") ? url : url.appendingPathComponent("chat/completions")
    }

    /// Reads `DUET_LLM_URL`, `DUET_LLM_MODEL` and `DUET_LLM_API_KEY` (or `OPENAI_API_KEY`), with
    /// explicit values taking precedence.
    public static func fromEnvironment(
        url: String? = nil, model: String? = nil, apiKey: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> LanguageModelConfiguration {
        guard let urlText = url ?? environment["DUET_LLM_URL"], let parsed = URL(string: urlText), parsed.scheme != nil else {
            throw LanguageModelError.configuration("set the endpoint with --llm-url or DUET_LLM_URL (e.g. http://127.0.0.1:8080/v1)")
        }
        guard let modelName = model ?? environment["DUET_LLM_MODEL"], !modelName.isEmpty else {
            throw LanguageModelError.configuration("set the model with --llm-model or DUET_LLM_MODEL")
        }
        return LanguageModelConfiguration(url: parsed, model: modelName,
                                          apiKey: apiKey ?? environment["DUET_LLM_API_KEY"] ?? environment["OPENAI_API_KEY"])
    }
}

/// Why a language-model request failed for good.
public enum LanguageModelError: Error, LocalizedError, Equatable {
    case configuration(String)
    case http(status: Int, body: String, retryAfter: Double?)
    case transport(String)
    case malformedResponse(String)

    public var errorDescription: String? {
        switch self {
        case .configuration(let message): return "language model not configured: \(message)"
        case .http(let status, let body, _): return "the language model answered HTTP \(status): \(body.prefix(300))"
        case .transport(let message): return "the language model could not be reached: \(message)"
        case .malformedResponse(let message): return "the language model's answer is not a chat completion: \(message)"
        }
    }

    /// Whether trying again may help: 429, 5xx, timeouts and connection failures.
    var isRetryable: Bool {
        switch self {
        case .http(let status, _, _): return status == 429 || status >= 500
        case .transport: return true
        default: return false
        }
    }
}

/// A client for `POST /chat/completions` with retries and exponential backoff.
///
/// Request body: `{"model", "messages": [{"role", "content"}], "temperature", "max_tokens", "n": 1}`;
/// answer: `choices[0].message.content`. Sends `Authorization: Bearer <key>` when a key is set.
public final class ChatCompletionClient: Sendable {
    public let configuration: LanguageModelConfiguration
    private let session: URLSession
    private let statistics = LockedCounters()

    public init(configuration: LanguageModelConfiguration) {
        self.configuration = configuration
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.timeoutIntervalForRequest = configuration.timeout
        sessionConfiguration.timeoutIntervalForResource = configuration.timeout * 2
        sessionConfiguration.httpMaximumConnectionsPerHost = max(1, configuration.concurrency)
        session = URLSession(configuration: sessionConfiguration)
    }

    /// Requests sent and retries made so far.
    public var counts: (requests: Int, retries: Int) { statistics.read() }

    /// The completion text for `messages`, trimmed; retried on 429, 5xx and timeouts.
    public func complete(_ messages: [ChatMessage]) async throws -> String {
        var attempt = 1
        while true {
            do {
                return try await send(messages)
            } catch let error as LanguageModelError where error.isRetryable && attempt < configuration.maximumAttempts {
                statistics.addRetry()
                let backoff = min(configuration.maximumBackoff, configuration.initialBackoff * pow(2, Double(attempt - 1)))
                try await Task.sleep(nanoseconds: UInt64(max(backoff, retryAfter(error)) * 1e9))
                attempt += 1
            }
        }
    }

    private func retryAfter(_ error: LanguageModelError) -> Double {
        if case .http(_, _, let retryAfter?) = error { return min(retryAfter, configuration.maximumBackoff) }
        return 0
    }

    private struct RequestBody: Encodable {
        var model: String
        var messages: [ChatMessage]
        var temperature: Double
        var max_tokens: Int
        var n = 1
    }

    private struct ResponseBody: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable { var content: String? }
            var message: Message
        }
        var choices: [Choice]
    }

    private func send(_ messages: [ChatMessage]) async throws -> String {
        statistics.addRequest()
        var request = URLRequest(url: configuration.endpoint, timeoutInterval: configuration.timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let key = configuration.apiKey, !key.isEmpty { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        request.httpBody = try JSONEncoder().encode(RequestBody(
            model: configuration.model, messages: messages, temperature: configuration.temperature,
            max_tokens: configuration.maximumTokens))
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            throw LanguageModelError.transport(error.localizedDescription)
        }
        guard let http = response as? HTTPURLResponse else { throw LanguageModelError.transport("not an HTTP response") }
        guard (200..<300).contains(http.statusCode) else {
            throw LanguageModelError.http(
                status: http.statusCode, body: String(decoding: data.prefix(2000), as: UTF8.self),
                retryAfter: http.value(forHTTPHeaderField: "Retry-After").flatMap { Double($0) })
        }
        guard let decoded = try? JSONDecoder().decode(ResponseBody.self, from: data),
            let content = decoded.choices.first?.message.content
        else {
            throw LanguageModelError.malformedResponse(String(decoding: data.prefix(300), as: UTF8.self))
        }
        return content.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Thread-safe request and retry counters.
final class LockedCounters: @unchecked Sendable {
    private let lock = NSLock()
    private var requests = 0
    private var retries = 0

    func addRequest() { lock.lock(); requests += 1; lock.unlock() }
    func addRetry() { lock.lock(); retries += 1; lock.unlock() }
    func read() -> (requests: Int, retries: Int) {
        lock.lock(); defer { lock.unlock() }
        return (requests, retries)
    }
}
