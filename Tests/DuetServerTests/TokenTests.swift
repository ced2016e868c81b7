import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DuetServer

/// `--token`: every API and audio route needs it; the page, its assets and /healthz do not.
@Suite struct TokenTests {
    static let token = "correct-horse-battery-staple"

    static func run(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await withTestServer(configuration: ServerConfiguration(port: 0, token: token)) { client, _ in
            try await body(client)
        }
    }

    @Test func apiRoutesNeedTheBearerToken() async throws {
        try await Self.run { client in
            let routes = ["/api/info", "/api/search?q=piano", "/api/similar?id=1", "/api/tracks/1", "/api/tracks/1/audio",
                          "/api/playlist.m3u?q=piano", "/api/nothing", "/%61pi/info", "/healthz/", "//healthz"]
            for uri in routes {
                let none = try await client.get(uri)
                #expect(none.status == .unauthorized, "\(uri) without a token")
                #expect(none.headers[.wwwAuthenticate] == #"Bearer realm="duet""#)
                #expect(try none.error().error.contains("requires a token"))
                let wrong = try await client.get(uri, headers: [.authorization: "Bearer correct-horse-battery-stapler"])
                #expect(wrong.status == .unauthorized, "\(uri) with a wrong token")
                #expect(try wrong.error().error == "the bearer token is wrong")
                let basic = try await client.get(uri, headers: [.authorization: "Basic \(Self.token)"])
                #expect(basic.status == .unauthorized, "\(uri) with another scheme")
            }
            for uri in ["/api/info", "/api/search?q=piano", "/api/tracks/1", "/api/tracks/1/audio"] {
                let right = try await client.get(uri, headers: [.authorization: "Bearer \(Self.token)"])
                #expect(right.status == .ok, "\(uri) with the token")
            }
        }
    }

    @Test func pageAndHealthAreOpen() async throws {
        try await Self.run { client in
            for uri in ["/", "/app.js", "/style.css", "/healthz"] {
                let status = try await client.get(uri).status
                #expect(status == .ok, "\(uri)")
            }
        }
    }

    /// The cookie opens the audio route only (media elements cannot send headers), never the JSON API.
    @Test func cookieOpensOnlyTheAudioRoute() async throws {
        try await Self.run { client in
            let cookie: HTTPFields = [.cookie: "theme=dark; duet_token=\(Self.token)"]
            try await expectStatus(client, "/api/tracks/1/audio", cookie, .ok)
            try await expectStatus(client, "/api/tracks/1", cookie, .unauthorized)
            try await expectStatus(client, "/api/search?q=piano", cookie, .unauthorized)
            let wrong: HTTPFields = [.cookie: "duet_token=nope"]
            try await expectStatus(client, "/api/tracks/1/audio", wrong, .unauthorized)
        }
    }

    @Test func constantTimeComparison() {
        #expect(BearerTokenMiddleware<BasicRequestContext>.equalInConstantTime("abc", "abc"))
        #expect(!BearerTokenMiddleware<BasicRequestContext>.equalInConstantTime("abc", "abd"))
        #expect(!BearerTokenMiddleware<BasicRequestContext>.equalInConstantTime("abc", "abcd"))
        #expect(!BearerTokenMiddleware<BasicRequestContext>.equalInConstantTime("", "a"))
    }
}

private func expectStatus(
    _ client: any TestClientProtocol, _ uri: String, _ headers: HTTPFields, _ status: HTTPResponse.Status,
    sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let answer = try await client.get(uri, headers: headers).status
    #expect(answer == status, "\(uri)", sourceLocation: sourceLocation)
}
