import Foundation
import Hummingbird

/// The web page's files (`Resources/index.html`, `app.js`, `style.css`), read once when the app is built and
/// served from memory. They are plain files shipped with the target: no build step.
struct PageAssets: Sendable {
    let page: ByteBuffer
    let script: ByteBuffer
    let style: ByteBuffer

    init() throws(ServerResourceError) {
        page = try Self.load("index", "html")
        script = try Self.load("app", "js")
        style = try Self.load("style", "css")
    }

    private static func load(_ name: String, _ ext: String) throws(ServerResourceError) -> ByteBuffer {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Resources"),
            let data = try? Data(contentsOf: url)
        else { throw ServerResourceError(name: "\(name).\(ext)") }
        return ByteBuffer(bytes: data)
    }

    func response(for route: ServerRoute) -> Response {
        let (body, type): (ByteBuffer, String) =
            switch route {
            case .script: (script, "text/javascript; charset=utf-8")
            case .style: (style, "text/css; charset=utf-8")
            default: (page, "text/html; charset=utf-8")
            }
        return Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"], body: .init(byteBuffer: body))
    }
}

/// A file of the web page is missing from the installed resources (a broken build or install).
public struct ServerResourceError: LocalizedError, Sendable, Equatable {
    public var name: String
    public var errorDescription: String? {
        "the web page's file \(name) is missing from DuetServer's resources; rebuild Duet (swift build)"
    }
}
