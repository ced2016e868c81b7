import Hummingbird

/// Refuses what no route accepts before any route runs: methods other than GET and HEAD (405), request
/// targets longer than the limit (414) and bodies larger than the limit (413; every route is a GET, so a body
/// is never read beyond the limit).
struct RequestLimitsMiddleware<Context: RequestContext>: RouterMiddleware {
    let limits: ServerLimits

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.method == .get || request.method == .head else {
            throw APIError(
                .methodNotAllowed, "method \(request.method.rawValue) is not allowed; the API is read-only (GET, HEAD)",
                headers: [.allow: "GET, HEAD"])
        }
        let targetLength = request.uri.string.utf8.count
        guard targetLength <= limits.maximumTargetLength else {
            throw APIError(
                .uriTooLong,
                "the request target has \(targetLength) bytes; the limit is \(limits.maximumTargetLength)")
        }
        let declaredLength = request.headers[.contentLength].flatMap { Int($0) }
        if let declaredLength, declaredLength > limits.maximumBodyBytes {
            throw bodyTooLarge(declaredLength)
        }
        if request.headers[.transferEncoding] != nil || (declaredLength ?? 0) > 0 {
            var request = request
            do {
                _ = try await request.collectBody(upTo: limits.maximumBodyBytes)
            } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
                throw bodyTooLarge(nil)
            }
            return try await next(request, context)
        }
        return try await next(request, context)
    }

    private func bodyTooLarge(_ length: Int?) -> APIError {
        let size = length.map { "\($0) bytes" } ?? "a larger body"
        return APIError(
            .contentTooLarge, "the request has \(size); the limit is \(limits.maximumBodyBytes) bytes (routes take no body)")
    }
}
