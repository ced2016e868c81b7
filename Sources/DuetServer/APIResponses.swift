/// The JSON bodies of the API (see `Docs/openapi.yaml`).
struct SearchResponse: Codable, Equatable {
    var query: String
    var k: Int
    var results: [TrackHit]
}

struct SimilarResponse: Codable, Equatable {
    var seeds: [TrackID]
    var k: Int
    var results: [TrackHit]
}

struct InfoResponse: Codable, Equatable {
    struct Limits: Codable, Equatable {
        var maximumQueryLength: Int
        var maximumK: Int
        var defaultK: Int
        var maximumSeeds: Int
    }

    var tracks: Int
    var model: String
    var limits: Limits
}

struct HealthResponse: Codable, Equatable {
    var status: String
}
