import Foundation
import Hummingbird

/// The route handlers: parse and check the request, ask the ``SearchService``, answer JSON (or audio,
/// or a playlist). Every refusal is an ``APIError`` naming the parameter and the limit.
struct APIHandlers<Service: SearchService>: Sendable {
    let service: Service
    let limits: ServerLimits
    let assets: PageAssets
    let fileIO = FileIO()

    static var searchParameters: [String] {
        ["q", "k", "genre", "artist", "min_duration", "max_duration", "path_prefix", "max_per_artist", "max_per_album"]
    }

    func respond(_ route: ServerRoute, _ request: Request, _ context: some RequestContext) async throws -> Response {
        switch route {
        case .page, .script, .style:
            try QueryParameters(request.uri.query).requireOnly([])
            return assets.response(for: route)
        case .health:
            return JSONBody.response(HealthResponse(status: "ok"))
        case .info:
            try QueryParameters(request.uri.query).requireOnly([])
            return JSONBody.response(
                InfoResponse(
                    tracks: try await service.trackCount(), model: try await service.modelIdentity(),
                    limits: .init(
                        maximumQueryLength: limits.maximumQueryLength, maximumK: limits.maximumK,
                        defaultK: limits.defaultK, maximumSeeds: limits.maximumSeeds)))
        case .search:
            let query = try searchQuery(request)
            return JSONBody.response(SearchResponse(query: query.text, k: query.k, results: try await service.search(query)))
        case .similar:
            return try await similar(request)
        case .track:
            let id = try trackID(context)
            try QueryParameters(request.uri.query).requireOnly([])
            guard let record = try await service.track(id: id) else { throw noTrack(id) }
            return JSONBody.response(record)
        case .audio:
            return try await audio(request, context)
        case .playlist:
            // The playlist of a text search (`q` and the search parameters) or of "more like this" (`id`...).
            let parameters = try QueryParameters(request.uri.query)
            let title: String
            let hits: [TrackHit]
            if parameters.all("id").isEmpty {
                let query = try searchQuery(request, extraParameters: ["id"])
                (title, hits) = ("Duet: \(query.text)", try await service.search(query))
            } else {
                guard parameters.all("q").isEmpty else {
                    throw APIError.badRequest("give either 'q' (a text search) or 'id' (more like these tracks), not both")
                }
                let (seeds, k) = try await similarRequest(parameters, allowed: ["id", "k"])
                (title, hits) = ("Duet: more like \(seeds.map(String.init).joined(separator: ", "))", try await service.similar(to: seeds, k: k))
            }
            let body = PlaylistM3U.render(title: title, hits: hits, baseURL: baseURL(request))
            return Response(
                status: .ok,
                headers: [
                    .contentType: "audio/x-mpegurl; charset=utf-8",
                    .contentDisposition: #"attachment; filename="duet-search.m3u""#,
                ],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        }
    }

    /// `/api/search` and `/api/playlist.m3u` take the same parameters.
    func searchQuery(_ request: Request, extraParameters: [String] = []) throws(APIError) -> SearchQuery {
        let parameters = try QueryParameters(request.uri.query)
        try parameters.requireOnly(Self.searchParameters + extraParameters)
        guard let text = try parameters.text("q", maximumLength: limits.maximumQueryLength) else {
            throw .badRequest("parameter 'q' (the query text) is required")
        }
        let k = try parameters.integer("k", in: 1...limits.maximumK) ?? limits.defaultK
        let hours24 = 86_400.0
        let filters = SearchFilters(
            genre: try parameters.text("genre", maximumLength: limits.maximumQueryLength),
            artist: try parameters.text("artist", maximumLength: limits.maximumQueryLength),
            minimumDuration: try parameters.number("min_duration", in: 0...hours24),
            maximumDuration: try parameters.number("max_duration", in: 0...hours24),
            pathPrefix: try parameters.text("path_prefix", maximumLength: limits.maximumTargetLength))
        if let minimum = filters.minimumDuration, let maximum = filters.maximumDuration, minimum > maximum {
            throw .badRequest("min_duration (\(minimum)) is larger than max_duration (\(maximum))")
        }
        let diversity = SearchDiversity(
            maximumPerArtist: try parameters.integer("max_per_artist", in: 1...limits.maximumK),
            maximumPerAlbum: try parameters.integer("max_per_album", in: 1...limits.maximumK))
        return SearchQuery(text: text, k: k, filters: filters, diversity: diversity)
    }

    private func similar(_ request: Request) async throws -> Response {
        let (seeds, k) = try await similarRequest(try QueryParameters(request.uri.query), allowed: ["id", "k"])
        return JSONBody.response(SimilarResponse(seeds: seeds, k: k, results: try await service.similar(to: seeds, k: k)))
    }

    /// The seeds (each one a known track, duplicates dropped) and `k` of a "more like this" request.
    private func similarRequest(_ parameters: QueryParameters, allowed: [String]) async throws -> ([TrackID], Int) {
        try parameters.requireOnly(allowed)
        let raw = parameters.all("id")
        guard !raw.isEmpty else { throw APIError.badRequest("parameter 'id' (a track id; repeat it for several seeds) is required") }
        guard raw.count <= limits.maximumSeeds else {
            throw APIError.badRequest("\(raw.count) seeds given; the limit is \(limits.maximumSeeds)")
        }
        var seeds: [TrackID] = []
        for value in raw {
            guard let id = TrackID(value), id > 0 else {
                throw APIError.badRequest("parameter 'id' must be a positive whole number, got '\(QueryParameters.clip(value))'")
            }
            guard try await service.track(id: id) != nil else { throw noTrack(id) }
            if !seeds.contains(id) { seeds.append(id) }
        }
        let k = try parameters.integer("k", in: 1...limits.maximumK) ?? limits.defaultK
        return (seeds, k)
    }

    /// Streams the track's file with single-range support; the path comes only from the service.
    private func audio(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let id = try trackID(context)
        try QueryParameters(request.uri.query).requireOnly([])
        guard let file = try await service.audioFile(id: id) else { throw noTrack(id) }
        return try await AudioFileResponse.respond(
            file: file, missing: APIError.notFound("the audio file of track \(id) is missing on disk; re-index the library"),
            request: request, context: context, fileIO: fileIO)
    }

    private func trackID(_ context: some RequestContext) throws(APIError) -> TrackID {
        let raw = context.parameters.get("id") ?? ""
        guard let id = TrackID(raw), id > 0 else {
            throw .badRequest("a track id is a positive whole number, got '\(QueryParameters.clip(raw))'")
        }
        return id
    }

    private func noTrack(_ id: TrackID) -> APIError { .notFound("no track with id \(id)") }

    /// `http://<Host header>` when the header is a plain host[:port], else relative URLs.
    private func baseURL(_ request: Request) -> String {
        guard let host = request.head.authority, !host.isEmpty, host.count <= 255,
            host.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || ".-:[]".unicodeScalars.contains($0)) })
        else { return "" }
        return "http://\(host)"
    }
}
