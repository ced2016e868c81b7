import DuetStudy
import Hummingbird
import NIOCore

/// Builds the study server (`duet serve --study`): the study page and its API over a ``StudyStore``, behind
/// the same middlewares as the search server (security headers, JSON errors, request limits that here also
/// admit POST, and the bearer token when one is configured).
/// - Parameter onListening: called once with the bound port (the chosen one when the port is 0).
/// - Throws: ``ServerConfigurationError`` when the configuration is refused, ``ServerResourceError`` when the
///   page's files are missing.
public func buildStudyApplication(
    configuration: ServerConfiguration, store: StudyStore,
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    try configuration.validate()
    let handlers = StudyHandlers(
        store: store, limits: configuration.limits, assets: try PageAssets(page: "study", script: "study", style: "study"))
    let router = Router(options: [.autoGenerateHeadEndpoints])
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: RequestLimitsMiddleware(limits: configuration.limits, methods: [.get, .head, .post]))
    if let token = configuration.token {
        router.add(
            middleware: BearerTokenMiddleware(token: token, publicPaths: StudyRoute.publicPaths, isCookiePath: { StudyRoute.isAudioPath($0) }))
    }
    for route in StudyRoute.allCases {
        router.on(RouterPath(route.rawValue), method: route.method) { request, context in
            try await handlers.respond(route, request, context)
        }
    }
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "duet"),
        onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) })
}

/// Serves a study until SIGINT or SIGTERM: the body of `duet serve --study`.
public func runStudyServer(
    configuration: ServerConfiguration, store: StudyStore,
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws {
    let application = try buildStudyApplication(configuration: configuration, store: store, onListening: onListening)
    try await application.runService()
}
