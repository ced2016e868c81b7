import Foundation
import Hummingbird

/// A web page's files (the search page: `Resources/index.html`, `app.js`, `style.css`; the study page:
/// `study.html`, `study.js`, `study.css`), read once when the app is built and served from memory. They are
/// plain files shipped with the target: no build step.
struct PageAssets: Sendable {
    enum Kind: Sendable { case page, script, style }

    let page: ByteBuffer
    let script: ByteBuffer
    let style: ByteBuffer

    /// - Parameters: the base names of the page's HTML, JavaScript and CSS files.
    init(page: String = "index", script: String = "app", style: String = "style") throws(ServerResourceError) {
        self.page = try Self.load(page, "html")
        self.script = try Self.load(script, "js")
        self.style = try Self.load(style, "css")
    }

    private static func load(_ name: String, _ ext: String) throws(ServerResourceError) -> ByteBuffer {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Resources"),
            let data = try? Data(contentsOf: url)
        else { throw ServerResourceError(name: "\(name).\(ext)") }
        return ByteBuffer(bytes: data)
    }

    func response(for route: ServerRoute) -> Response {
        let kind: Kind =
            switch route {
            case .script: .script
            case .style: .style
            default: .page
            }
        return response(for: kind)
    }

    func response(for kind: Kind) -> Response {
        let (body, type): (ByteBuffer, String) =
            switch kind {
            case .script: (script, "text/javascript; charset=utf-8")
            case .style: (style, "text/css; charset=utf-8")
            case .page: (page, "text/html; charset=utf-8")
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
