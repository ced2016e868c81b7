import Foundation
import Hummingbird

/// A request the server refuses, answered as `{"error": message, "status": code}` with the given status.
/// Messages name the parameter or limit at fault so a user can correct the request.
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var message: String
    /// Extra headers for the error response (`Content-Range` on a 416, `WWW-Authenticate` on a 401).
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response()
    }

    func response() -> Response {
        var response = JSONBody.response(ErrorBody(error: message, status: status.code), status: status)
        response.headers.append(contentsOf: headers)
        return response
    }

    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }

    static func notFound(_ message: String) -> APIError { APIError(.notFound, message) }
}

/// The JSON shape of every error.
struct ErrorBody: Codable, Equatable {
    var error: String
    var status: Int
}

/// Encodes values as compact JSON responses with sorted keys (stable output for tests and diffs).
enum JSONBody {
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding the server's own Codable value types cannot fail (no non-finite floats reach here:
        // scores are cosines); if it ever does, answer 500 rather than crash.
        guard let data = try? encoder.encode(value) else {
            return Response(
                status: .internalServerError, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"error":"could not encode the response","status":500}"#)))
        }
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
