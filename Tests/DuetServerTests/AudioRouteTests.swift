import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import DuetServer

/// `/api/tracks/{id}/audio`: the whole file, single ranges, refusals, content types, and no way to name
/// a file other than by a catalogued id.
@Suite struct AudioRouteTests {
    @Test func wholeFileWithRangeSupportAdvertised() async throws {
        try await withTestServer { client, library in
            let response = try await client.get("/api/tracks/1/audio")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "audio/wav")
            #expect(response.headers[.acceptRanges] == "bytes")
            #expect(response.headers[.contentLength] == String(library.firstFileBytes.count))
            #expect(response.bodyData == library.firstFileBytes)
        }
    }

    @Test(arguments: [
        ("bytes=0-99", 0, 99),
        ("bytes=-100", 15_944, 16_043),
        ("bytes=100-", 100, 16_043),
        ("bytes=16000-20000", 16_000, 16_043),
        ("bytes=5-5", 5, 5),
        ("Bytes= 10-19", 10, 19),
    ])
    func singleRangeIsPartialContent(header: String, first: Int, last: Int) async throws {
        try await withTestServer { client, library in
            let size = library.firstFileBytes.count
            #expect(size == 16_044)
            let response = try await client.get("/api/tracks/1/audio", headers: [.range: header])
            #expect(response.status == .partialContent, "\(header)")
            #expect(response.headers[.contentRange] == "bytes \(first)-\(last)/\(size)")
            #expect(response.headers[.contentLength] == String(last - first + 1))
            #expect(response.bodyData == library.firstFileBytes.subdata(in: first..<(last + 1)))
        }
    }

    @Test(arguments: ["bytes=16044-", "bytes=20000-20010", "bytes=-0"])
    func unsatisfiableRangeIs416(header: String) async throws {
        try await withTestServer { client, _ in
            let response = try await client.get("/api/tracks/1/audio", headers: [.range: header])
            #expect(response.status == .rangeNotSatisfiable)
            #expect(response.headers[.contentRange] == "bytes */16044")
            #expect(try response.error().error.contains("outside the file's 16044 bytes"))
        }
    }

    /// Malformed, multi-range and other-unit headers are ignored (RFC 9110 §14.2): the whole file, 200.
    @Test(arguments: ["bytes=abc", "bytes=5-2", "items=0-10", "bytes=0-10,20-30", "bytes=--5", "bytes=x-5", "bytes=", "bytes = 10-19"])
    func unusableRangeHeaderGivesTheWholeFile(header: String) async throws {
        try await withTestServer { client, library in
            let response = try await client.get("/api/tracks/1/audio", headers: [.range: header])
            #expect(response.status == .ok, "\(header)")
            #expect(response.bodyData == library.firstFileBytes)
        }
    }

    @Test func ifRangeGetsTheWholeFile() async throws {
        try await withTestServer { client, library in
            let response = try await client.get(
                "/api/tracks/1/audio", headers: [.range: "bytes=0-9", .ifRange: "\"some-etag\""])
            #expect(response.status == .ok)
            #expect(response.bodyData == library.firstFileBytes)
        }
    }

    @Test func unknownTrackAndMissingFileAre404() async throws {
        try await withTestServer(missingFileForTrack: 4) { client, _ in
            let unknown = try await client.get("/api/tracks/77/audio")
            #expect(unknown.status == .notFound)
            #expect(try unknown.error().error == "no track with id 77")
            let missing = try await client.get("/api/tracks/4/audio")
            #expect(missing.status == .notFound)
            let message = try missing.error().error
            #expect(message.contains("missing on disk"))
            #expect(!message.contains("/"), "the message does not reveal the path")
        }
    }

    @Test(arguments: [
        "/api/tracks/../../etc/passwd",
        "/api/tracks/..%2F..%2Fetc%2Fpasswd/audio",
        "/api/tracks/%2e%2e%2f%2e%2e%2fetc%2fpasswd/audio",
        "/api/tracks/1/../../../../etc/passwd",
        "/api/tracks/%2E%2E/%2E%2E/etc/passwd",
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/api/tracks/1/audio/../../../../etc/passwd",
        "/api/tracks/1%2F..%2F..%2Fetc%2Fpasswd/audio",
        "/api/tracks//etc/passwd/audio",
        "/app.js/../../etc/passwd",
    ])
    func pathTraversalIsRefused(uri: String) async throws {
        try await withTestServer { client, _ in
            let response = try await client.get(uri)
            #expect([.badRequest, .notFound].contains(response.status), "\(uri) gave \(response.status)")
            #expect(!response.bodyText.contains("root:"), "\(uri) leaked a system file")
            _ = try response.error()
        }
    }

    @Test func contentTypeFollowsTheExtension() {
        let types = ["a.wav": "audio/wav", "b.FLAC": "audio/flac", "c.ogg": "audio/ogg",
                     "d.opus": "audio/ogg; codecs=opus", "e.mp3": "audio/mpeg", "f.xyz": "application/octet-stream"]
        for (name, type) in types {
            #expect(AudioContentType.of(URL(fileURLWithPath: "/music/\(name)")) == type, "\(name)")
        }
    }
}
