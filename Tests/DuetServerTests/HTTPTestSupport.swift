import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import DuetServer

/// Runs `body` against the app in-process (no socket) over a fresh ``TestLibrary``.
func withTestServer<Value>(
    configuration: ServerConfiguration = ServerConfiguration(port: 0),
    missingFileForTrack: TrackID? = nil,
    _ body: @Sendable (any TestClientProtocol, TestLibrary) async throws -> Value
) async throws -> Value {
    let library = try TestLibrary(missingFileForTrack: missingFileForTrack)
    defer { library.remove() }
    let application = try buildApplication(configuration: configuration, service: library.service)
    return try await application.test(.router) { client in try await body(client, library) }
}

extension TestResponse {
    var bodyData: Data { Data(body.readableBytesView) }
    var bodyText: String { String(decoding: bodyData, as: UTF8.self) }

    func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        try JSONDecoder().decode(type, from: bodyData)
    }

    /// The JSON error body, checked to carry the response's own status.
    func error() throws -> ErrorBody {
        let error = try decode(ErrorBody.self)
        #expect(error.status == Int(status.code))
        #expect(headers[.contentType] == "application/json; charset=utf-8")
        return error
    }
}

extension TestClientProtocol {
    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: headers)
    }
}
