import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import DuetServer

/// Requests beyond the limits, and malformed parameters, are 4xx JSON errors that name what to change.
@Suite struct LimitTests {
    static let limits = ServerLimits(maximumQueryLength: 20, maximumK: 10, defaultK: 5, maximumSeeds: 2, maximumBodyBytes: 16)

    static func run(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await withTestServer(configuration: ServerConfiguration(port: 0, limits: limits)) { client, _ in
            try await body(client)
        }
    }

    @Test(arguments: [
        ("/api/search", "parameter 'q' (the query text) is required"),
        ("/api/search?q=", "parameter 'q' is empty"),
        ("/api/search?q=%20%20", "parameter 'q' is empty"),
        ("/api/search?q=" + String(repeating: "a", count: 21), "parameter 'q' has 21 characters; the limit is 20"),
        ("/api/search?q=piano&k=0", "parameter 'k' must be a whole number in 1...10, got '0'"),
        ("/api/search?q=piano&k=11", "parameter 'k' must be a whole number in 1...10, got '11'"),
        ("/api/search?q=piano&k=ten", "parameter 'k' must be a whole number in 1...10, got 'ten'"),
        ("/api/search?q=piano&k=1&k=2", "parameter 'k' is given 2 times; give it once"),
        ("/api/search?q=piano&min_duration=-1", "parameter 'min_duration' must be a number in 0...86400, got '-1'"),
        ("/api/search?q=piano&max_duration=nan", "parameter 'max_duration' must be a number in 0...86400, got 'nan'"),
        ("/api/search?q=piano&min_duration=9&max_duration=3", "min_duration (9.0) is larger than max_duration (3.0)"),
        ("/api/search?q=piano&max_per_artist=0", "parameter 'max_per_artist' must be a whole number in 1...10, got '0'"),
        ("/api/search?q=piano&limit=3",
         "unknown parameter 'limit'; this route takes q, k, genre, artist, min_duration, max_duration, path_prefix, max_per_artist, max_per_album"),
        ("/api/search?q=%E0%A4%A", "the value of 'q' is not valid percent-encoded UTF-8: '%E0%A4%A'"),
        ("/api/similar?id=1&id=2&id=3", "3 seeds given; the limit is 2"),
        ("/api/similar?id=1&seed=2", "unknown parameter 'seed'; this route takes id, k"),
        ("/api/tracks/1?verbose=1", "unknown parameter 'verbose'; this route takes no parameters"),
    ])
    func badParametersAre400(uri: String, message: String) async throws {
        try await Self.run { client in
            let response = try await client.get(uri)
            #expect(response.status == .badRequest, "\(uri)")
            #expect(try response.error().error == message, "\(uri)")
        }
    }

    @Test func defaultKComesFromTheLimits() async throws {
        try await Self.run { client in
            let body = try await client.get("/api/search?q=piano").decode(SearchResponse.self)
            #expect(body.k == 5)
            #expect(body.results.count == 5)
        }
    }

    @Test func longTargetIs414() async throws {
        try await Self.run { client in
            let response = try await client.get("/api/search?q=a&genre=" + String(repeating: "b", count: 5000))
            #expect(response.status == .uriTooLong)
            #expect(try response.error().error.contains("the limit is 4096"))
        }
    }

    @Test func largeBodyIs413() async throws {
        try await Self.run { client in
            let declared = try await client.execute(
                uri: "/api/search?q=piano", method: .get, body: ByteBuffer(string: String(repeating: "x", count: 100)))
            #expect(declared.status == .contentTooLarge)
            #expect(try declared.error().error == "the request has 100 bytes; the limit is 16 bytes (routes take no body)")
            let small = try await client.execute(uri: "/api/search?q=piano", method: .get, body: ByteBuffer(string: "tiny"))
            #expect(small.status == .ok)
        }
    }
}
