import Foundation
import Hummingbird

/// Turns every error a route or middleware throws into the JSON error shape, so that clients (and the page)
/// always get `{"error": ..., "status": ...}`: the server's own ``APIError``s, Hummingbird's errors (unknown
/// route, body too large) with their status, a service's ``SearchServiceError``, and anything else as a
/// logged 500 whose message does not leak internals.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.response()
        } catch let error as SearchServiceError {
            let status = HTTPResponse.Status(code: (400...599).contains(error.status) ? error.status : 500)
            // An overloaded service asks the client to come back (RFC 9110, Retry-After in seconds).
            let headers: HTTPFields = status == .serviceUnavailable ? [.retryAfter: "1"] : [:]
            return APIError(status, error.message, headers: headers).response()
        } catch let error as HTTPError {
            let message: String
            if error.status == .notFound {
                message = "no route \(request.method.rawValue) \(String(request.uri.path.prefix(200)))"
            } else {
                message = error.body ?? error.status.reasonPhrase
            }
            return APIError(error.status, message, headers: error.headers).response()
        } catch let error as any HTTPResponseError {
            return APIError(error.status, error.status.reasonPhrase).response()
        } catch {
            context.logger.error("request \(request.method.rawValue) \(request.uri.path) failed: \(error)")
            return APIError(.internalServerError, "internal error; the server log has the details").response()
        }
    }
}
