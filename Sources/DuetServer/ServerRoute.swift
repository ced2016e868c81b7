/// Every route the server answers, in the path syntax both Hummingbird's router and OpenAPI use
/// (`{id}` is a path parameter). `Docs/openapi.yaml` documents each one; a test checks the two agree.
public enum ServerRoute: String, CaseIterable, Sendable {
    case page = "/"
    case script = "/app.js"
    case style = "/style.css"
    case health = "/healthz"
    case info = "/api/info"
    case search = "/api/search"
    case similar = "/api/similar"
    case track = "/api/tracks/{id}"
    case audio = "/api/tracks/{id}/audio"
    case playlist = "/api/playlist.m3u"

    /// The raw paths served without a token: the page, its assets and the health check.
    static let publicPaths: Set<String> = [
        ServerRoute.page.rawValue, ServerRoute.script.rawValue, ServerRoute.style.rawValue, ServerRoute.health.rawValue,
    ]

    /// True for `/api/tracks/<digits>/audio` exactly.
    static func isAudioPath(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 5 && parts[0].isEmpty && parts[1] == "api" && parts[2] == "tracks"
            && !parts[3].isEmpty && parts[3].allSatisfy(\.isASCII) && parts[3].allSatisfy(\.isNumber) && parts[4] == "audio"
    }
}
