import Foundation
import Hummingbird

/// Requires the configured token on every request except the page, its two assets and `/healthz`, which
/// hold nothing from the library. The exemptions are exact matches of the raw request path, so an encoded
/// or dotted variant of a public path still needs the token.
///
/// The token is taken from `Authorization: Bearer <token>`; the audio route also takes it from the cookie
/// `duet_token`, because the page's `<audio>` elements cannot send headers (the page sets that cookie with
/// `SameSite=Strict`, so other sites cannot make a browser send it). Comparison takes the same time whatever
/// the first differing byte, so the token cannot be guessed byte by byte from response times.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String
    /// Raw paths served without the token (the page, its assets, the health check).
    var publicPaths: Set<String> = ServerRoute.publicPaths
    /// Paths that also take the token from the cookie (the audio routes).
    var isCookiePath: @Sendable (String) -> Bool = { ServerRoute.isAudioPath($0) }
    static var cookieName: String { "duet_token" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let path = request.uri.path
        if publicPaths.contains(path) { return try await next(request, context) }
        if let authorization = request.headers[.authorization] {
            let prefix = "Bearer "
            if authorization.hasPrefix(prefix), Self.equalInConstantTime(String(authorization.dropFirst(prefix.count)), token) {
                return try await next(request, context)
            }
            throw APIError(
                .unauthorized, "the bearer token is wrong", headers: [.wwwAuthenticate: #"Bearer realm="duet""#])
        }
        if isCookiePath(path), let cookie = Self.cookie(named: Self.cookieName, in: request.headers),
            Self.equalInConstantTime(cookie, token)
        {
            return try await next(request, context)
        }
        throw APIError(
            .unauthorized, "this server requires a token: send 'Authorization: Bearer <token>' "
                + "(on the page, open it as /#token=<token>)",
            headers: [.wwwAuthenticate: #"Bearer realm="duet""#])
    }

    static func cookie(named name: String, in headers: HTTPFields) -> String? {
        for field in headers[values: .cookie] {
            for pair in field.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }

    /// Compares every byte of the longer input, whatever the first difference.
    static func equalInConstantTime(_ left: String, _ right: String) -> Bool {
        let a = Array(left.utf8)
        let b = Array(right.utf8)
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        if a.count != b.count { difference |= 1 }
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }
}
