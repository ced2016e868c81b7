import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import DuetServer

/// Every route in-process (HummingbirdTesting's router framework): answers, errors and headers.
@Suite struct RouteTests {
    @Test func searchRanksByTheServiceAndNamesTheQuery() async throws {
        try await withTestServer { client, _ in
            let response = try await client.get("/api/search?q=slow+piano&k=3")
            #expect(response.status == .ok)
            let body = try response.decode(SearchResponse.self)
            #expect(body.query == "slow piano")
            #expect(body.k == 3)
            #expect(body.results.map(\.track.id) == [1, 5, 3])
            #expect(body.results[0].score > body.results[2].score)
            #expect(!response.bodyText.contains("/music/"), "paths never leave the server")
        }
    }

    @Test func searchAppliesFiltersAndDiversity() async throws {
        try await withTestServer { client, _ in
            let genre = try await client.get("/api/search?q=piano&genre=FOLK").decode(SearchResponse.self)
            #expect(genre.results.map(\.track.id) == [5, 2])
            let artist = try await client.get("/api/search?q=piano&artist=ada%20keys").decode(SearchResponse.self)
            #expect(Set(artist.results.map(\.track.id)) == [1, 3])
            let duration = try await client.get("/api/search?q=piano&min_duration=0.55&max_duration=1").decode(SearchResponse.self)
            #expect(Set(duration.results.map(\.track.id)) == [1, 5, 2])
            let prefix = try await client.get("/api/search?q=piano&path_prefix=%2Fmusic%2Fclassical%2F").decode(SearchResponse.self)
            #expect(Set(prefix.results.map(\.track.id)) == [1, 3])
            let diverse = try await client.get("/api/search?q=piano&max_per_artist=1&k=5").decode(SearchResponse.self)
            let artists = diverse.results.compactMap(\.track.artist)
            #expect(artists.count == Set(artists).count)
            let album = try await client.get("/api/search?q=piano&max_per_album=1").decode(SearchResponse.self)
            #expect(album.results.filter { $0.track.album == "Nocturnes" }.count == 1)
        }
    }

    @Test func similarAveragesSeedsAndExcludesThem() async throws {
        try await withTestServer { client, _ in
            let one = try await client.get("/api/similar?id=1&k=2").decode(SimilarResponse.self)
            #expect(one.seeds == [1])
            #expect(one.results.count == 2)
            #expect(one.results[0].track.id == 3)
            let two = try await client.get("/api/similar?id=1&id=2&id=1").decode(SimilarResponse.self)
            #expect(two.seeds == [1, 2])
            #expect(!two.results.contains { [1, 2].contains($0.track.id) })
            #expect(two.results.first?.track.id == 5)
            let unknown = try await client.get("/api/similar?id=99")
            #expect(unknown.status == .notFound)
            #expect(try unknown.error().error == "no track with id 99")
            let missing = try await client.get("/api/similar")
            #expect(missing.status == .badRequest)
            #expect(try missing.error().error.contains("'id'"))
            let bad = try await client.get("/api/similar?id=abc")
            #expect(bad.status == .badRequest)
        }
    }

    @Test func trackRecordAndUnknownIDs() async throws {
        try await withTestServer { client, _ in
            let response = try await client.get("/api/tracks/2")
            #expect(response.status == .ok)
            #expect(try response.decode(TrackRecord.self) == TestLibrary.records[1])
            let unknown = try await client.get("/api/tracks/42")
            #expect(unknown.status == .notFound)
            #expect(try unknown.error().error == "no track with id 42")
            for id in ["0", "-1", "1.5", "abc", "99999999999999999999"] {
                let bad = try await client.get("/api/tracks/\(id)")
                #expect(bad.status == .badRequest, "id \(id)")
                #expect(try bad.error().error.contains("positive whole number"))
            }
        }
    }

    @Test func healthInfoAndPage() async throws {
        try await withTestServer { client, _ in
            let health = try await client.get("/healthz")
            #expect(try health.decode(HealthResponse.self) == HealthResponse(status: "ok"))
            let info = try await client.get("/api/info").decode(InfoResponse.self)
            #expect(info.tracks == TestLibrary.records.count)
            #expect(info.model == "test-model")
            #expect(info.limits.maximumK == ServerLimits().maximumK)
            let page = try await client.get("/")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.bodyText.contains(#"<input id="query""#))
            #expect(try await client.get("/app.js").headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(try await client.get("/style.css").headers[.contentType] == "text/css; charset=utf-8")
        }
    }

    @Test func playlistIsExtendedM3UOfAudioURLs() async throws {
        try await withTestServer { client, _ in
            let response = try await client.get("/api/playlist.m3u?q=fiddle&k=2")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "audio/x-mpegurl; charset=utf-8")
            #expect(response.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            let lines = response.bodyText.split(separator: "\n").map(String.init)
            #expect(lines.first == "#EXTM3U")
            #expect(lines.contains("#EXTINF:1,The Fiddlers - Barn Dance Reel"))
            // Absolute (http://<Host>/...) behind a real connection; this in-process request has no Host.
            #expect(lines.contains { $0.hasSuffix("/api/tracks/2/audio") })
            #expect(lines.filter { $0.hasPrefix("#EXTINF:") }.count == 2)
            let similar = try await client.get("/api/playlist.m3u?id=1&k=1")
            #expect(similar.bodyText.contains("/api/tracks/3/audio"))
            let both = try await client.get("/api/playlist.m3u?id=1&q=piano")
            #expect(both.status == .badRequest)
        }
    }

    @Test func unknownRoutesAndMethodsAreJSONErrors() async throws {
        try await withTestServer { client, _ in
            let unknown = try await client.get("/api/nothing")
            #expect(unknown.status == .notFound)
            #expect(try unknown.error().error == "no route GET /api/nothing")
            let post = try await client.execute(uri: "/api/search?q=x", method: .post)
            #expect(post.status == .methodNotAllowed)
            #expect(post.headers[.allow] == "GET, HEAD")
            _ = try post.error()
            let head = try await client.execute(uri: "/api/tracks/1/audio", method: .head)
            #expect(head.status == .ok)
            #expect(head.headers[.contentLength] == "16044")
        }
    }

    @Test func securityHeadersOnEveryResponse() async throws {
        try await withTestServer { client, _ in
            for uri in ["/", "/api/search?q=piano", "/api/nothing", "/api/tracks/1/audio"] {
                let response = try await client.get(uri)
                #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(uri)")
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true, "\(uri)")
                #expect(response.headers[.accessControlAllowOrigin] == nil, "no CORS on \(uri)")
            }
        }
    }
}

/// A service whose text encoder queue is full: every search is refused with 503.
private struct OverloadedService: SearchService {
    func modelIdentity() async throws -> String { "test" }
    func trackCount() async throws -> Int { 0 }
    func search(_ query: SearchQuery) async throws -> [TrackHit] {
        throw SearchServiceError(status: 503, message: "the server is busy")
    }
    func similar(to seeds: [TrackID], k: Int) async throws -> [TrackHit] { [] }
    func track(id: TrackID) async throws -> TrackRecord? { nil }
    func audioFile(id: TrackID) async throws -> URL? { nil }
}

@Suite struct OverloadRouteTests {
    @Test func anOverloadedServiceAnswers503WithRetryAfter() async throws {
        let application = try buildApplication(configuration: ServerConfiguration(port: 0), service: OverloadedService())
        try await application.test(.router) { client in
            let response = try await client.get("/api/search?q=slow+piano")
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "1")
            #expect(try response.error().error == "the server is busy")
        }
    }
}
