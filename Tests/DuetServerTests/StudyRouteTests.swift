import DuetStudy
import DuetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import DuetServer

/// The study server's routes in-process: participants, next comparison, answers (and every refusal as a 4xx
/// JSON error), audio by clip id with ranges, and no system name ever in a response.
@Suite struct StudyRouteTests {
    func withStudyServer(
        token: String? = nil, _ body: @Sendable (any TestClientProtocol, StudyStore) async throws -> Void
    ) async throws {
        let folder = try SearchFixtures.temporaryFolder("study-routes")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (path, _) = try StudyTestPlan.write(in: folder)
        let store = try StudyStore(path: path)
        let application = try buildStudyApplication(configuration: ServerConfiguration(port: 0, token: token), store: store)
        try await application.test(.router) { client in try await body(client, store) }
    }

    static let json: HTTPFields = [.contentType: "application/json"]

    func post(_ client: any TestClientProtocol, _ uri: String, _ body: String, headers: HTTPFields = json) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test func aParticipantAnswersEveryComparisonAndResumes() async throws {
        try await withStudyServer { client, store in
            let page = try await client.get("/")
            #expect(page.status == .ok && page.bodyText.contains("study.js"))
            #expect(try await client.get("/study.js").headers[.contentType] == "text/javascript; charset=utf-8")
            let info = try await client.get("/api/study").decode(StudyInfoResponse.self)
            #expect(info == StudyInfoResponse(prompts: 4, comparisonsPerParticipant: 5))

            let created = try await post(client, "/api/study/participants", "{}")
            #expect(created.status == .created)
            var next = try created.decode(StudyNextResponse.self)
            #expect((next.answered, next.total) == (0, 5))
            let participant = next.participant
            var seen: [Int] = []
            while let comparison = next.comparison {
                for text in [comparison.left, comparison.right, comparison.prompt] {
                    #expect(!text.contains("truth") && !text.contains("/music/"), "no system names or paths: \(text)")
                }
                #expect(comparison.left.hasPrefix("/api/study/clips/") && comparison.left != comparison.right)
                seen.append(comparison.trial)
                // Resuming (a reloaded page) gives the same comparison.
                #expect(try await client.get("/api/study/participants/\(participant)/next").decode(StudyNextResponse.self) == next)
                let answered = try await post(
                    client, "/api/study/participants/\(participant)/answers", #"{"trial": \#(comparison.trial), "choice": "left"}"#)
                #expect(answered.status == .ok)
                next = try answered.decode(StudyNextResponse.self)
                #expect(next.answered == seen.count)
            }
            #expect(seen == store.plan.schedule(participant: 0).map(\.trial))
            #expect(try await client.get("/api/study/participants/\(participant)/next").bodyText.contains(#""comparison":null"#))
            #expect(try store.answers().count == 5)
            // A retried answer is accepted; changing it is a conflict.
            let retry = try await post(client, "/api/study/participants/\(participant)/answers", #"{"trial": \#(seen[0]), "choice": "left"}"#)
            #expect(retry.status == .ok)
            let change = try await post(client, "/api/study/participants/\(participant)/answers", #"{"trial": \#(seen[0]), "choice": "tie"}"#)
            #expect(change.status == .conflict)
            #expect(try change.error().error.contains("already answered"))
        }
    }

    @Test func badAnswersAreRefusedWithJSONErrors() async throws {
        try await withStudyServer { client, store in
            let participant = try await post(client, "/api/study/participants", "{}").decode(StudyNextResponse.self).participant
            let uri = "/api/study/participants/\(participant)/answers"
            let outside = try #require(store.plan.trials.first { trial in
                !store.plan.schedule(participant: 0).contains { $0.trial == trial.id }
            })
            let cases: [(String, HTTPFields, HTTPResponse.Status, String)] = [
                (#"{"trial": \#(outside.id), "choice": "left"}"#, Self.json, .badRequest, "not in the schedule"),
                (#"{"trial": 999, "choice": "left"}"#, Self.json, .badRequest, "not in the schedule"),
                (#"{"trial": 1, "choice": "both"}"#, Self.json, .badRequest, "'choice' must be"),
                ("not json", Self.json, .badRequest, "the body must be JSON"),
                (#"{"trial": 1, "choice": "left"}"#, [.contentType: "text/plain"], .unsupportedMediaType, "application/json"),
            ]
            for (body, headers, status, message) in cases {
                let response = try await post(client, uri, body, headers: headers)
                #expect(response.status == status, "\(body)")
                #expect(try response.error().error.contains(message), "\(response.bodyText)")
            }
            let unknown = try await post(client, "/api/study/participants/\(String(repeating: "0", count: 32))/answers", #"{"trial": 1, "choice": "left"}"#)
            #expect(unknown.status == .notFound)
            let malformed = try await client.get("/api/study/participants/../next")
            #expect(malformed.status.code >= 400 && malformed.status.code < 500)
            let badID = try await client.get("/api/study/participants/XYZ/next")
            #expect(badID.status == .badRequest)
            let delete = try await client.execute(uri: "/api/study", method: .delete)
            #expect(delete.status == .methodNotAllowed && delete.headers[.allow] == "GET, HEAD, POST")
            #expect(try store.answers().isEmpty)
        }
    }

    @Test func audioByClipIDWithRanges() async throws {
        try await withStudyServer { client, store in
            let whole = try await client.get("/api/study/clips/2/audio")
            #expect(whole.status == .ok && whole.headers[.contentType] == "audio/wav" && whole.headers[.acceptRanges] == "bytes")
            let size = try #require(FileManager.default.attributesOfItem(atPath: store.plan.clips[1].audio)[.size] as? NSNumber).intValue
            #expect(whole.bodyData.count == size)
            let part = try await client.get("/api/study/clips/2/audio", headers: [.range: "bytes=0-99"])
            #expect(part.status == .partialContent && part.bodyData.count == 100 && part.headers[.contentRange] == "bytes 0-99/\(size)")
            #expect(try await client.get("/api/study/clips/99/audio").status == .notFound)
            #expect(try await client.get("/api/study/clips/0/audio").status == .badRequest)
            #expect(try await client.get("/api/study/clips/..%2F..%2Fetc%2Fpasswd/audio").status == .badRequest)
            // A segment of its file is addressed with a media fragment, never with a path.
            #expect(StudyRoute.audioPath(clip: 1, start: 0.5, end: 1.5) == "/api/study/clips/1/audio#t=0.5,1.5")
        }
    }

    @Test func theTokenGuardsTheAPIButNotThePage() async throws {
        let token = "study-token-0123456789"
        try await withStudyServer(token: token) { client, _ in
            let page = try await client.get("/")
            let withoutToken = try await client.get("/api/study")
            let withToken = try await client.get("/api/study", headers: [.authorization: "Bearer \(token)"])
            let audioByCookie = try await client.get("/api/study/clips/1/audio", headers: [.cookie: "duet_token=\(token)"])
            let apiByCookie = try await client.get("/api/study", headers: [.cookie: "duet_token=\(token)"])
            #expect(page.status == .ok && withoutToken.status == .unauthorized && withToken.status == .ok)
            #expect(audioByCookie.status == .ok && apiByCookie.status == .unauthorized)
        }
    }
}
