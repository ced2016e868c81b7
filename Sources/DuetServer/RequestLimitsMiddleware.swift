import Hummingbird

/// Refuses what no route accepts before any route runs: methods the server does not take (405; the search
/// server takes GET and HEAD, the study server also POST), request targets longer than the limit (414) and
/// bodies larger than the limit (413; a body is never read beyond the limit).
struct RequestLimitsMiddleware<Context: RequestContext>: RouterMiddleware {
    let limits: ServerLimits
    var methods: [HTTPRequest.Method] = [.get, .head]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard methods.contains(request.method) else {
            let allowed = methods.map(\.rawValue).joined(separator: ", ")
            let readOnly = methods.contains(.post) ? "this server takes \(allowed)" : "the API is read-only (\(allowed))"
            throw APIError(
                .methodNotAllowed, "method \(request.method.rawValue) is not allowed; \(readOnly)", headers: [.allow: allowed])
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
        let routes = methods.contains(.post) ? "" : " (routes take no body)"
        return APIError(.contentTooLarge, "the request has \(size); the limit is \(limits.maximumBodyBytes) bytes\(routes)")
    }
}
