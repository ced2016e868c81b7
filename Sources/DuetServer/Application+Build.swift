import Hummingbird
import NIOCore

/// Builds the server: routes for every ``ServerRoute``, behind (outermost first) the security headers, the
/// JSON error conversion, the request limits and, when a token is configured, the bearer-token check.
/// Tests run the result in-process (HummingbirdTesting); ``runServer(configuration:service:onListening:)``
/// runs it for real.
/// - Parameter onListening: called once with the bound port (the chosen one when the port is 0).
/// - Throws: ``ServerConfigurationError`` when the configuration is refused, ``ServerResourceError`` when the
///   page's files are missing.
public func buildApplication(
    configuration: ServerConfiguration, service: some SearchService,
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    try configuration.validate()
    let handlers = APIHandlers(service: service, limits: configuration.limits, assets: try PageAssets())
    let router = Router(options: [.autoGenerateHeadEndpoints])
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: RequestLimitsMiddleware(limits: configuration.limits))
    if let token = configuration.token {
        router.add(middleware: BearerTokenMiddleware(token: token))
    }
    for route in ServerRoute.allCases {
        router.get(RouterPath(route.rawValue)) { request, context in
            try await handlers.respond(route, request, context)
        }
    }
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "duet"),
        onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) })
}

/// Serves until SIGINT or SIGTERM: the body of `duet serve` once the catalogue is open.
/// - Parameter onListening: called once with the bound port, e.g. to print the page's address.
public func runServer(
    configuration: ServerConfiguration, service: some SearchService,
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws {
    let application = try buildApplication(configuration: configuration, service: service, onListening: onListening)
    try await application.runService()
}
