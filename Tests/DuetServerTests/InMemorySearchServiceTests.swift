import Foundation
import Testing

@testable import DuetServer

/// The test double's own contract: word-overlap cosine, ties to the smaller id, filters, diversity.
@Suite struct InMemorySearchServiceTests {
    static let service = InMemorySearchService(entries: TestLibrary.records.map { .init(record: $0, path: "/m/\($0.id)") })

    @Test func scoresAreWordOverlapCosines() async throws {
        let hits = try await Self.service.search(SearchQuery(text: "Slow, PIANO!", k: 3))
        #expect(hits.map(\.track.id) == [1, 5, 3])
        // Track 1 has 8 distinct words, 2 shared with the 2-word query: 2 / sqrt(2 * 8).
        #expect(abs(hits[0].score - 0.5) <= 1e-6)
        #expect(abs(hits[2].score - 0.25) <= 1e-6)
    }

    @Test func kAndFiltersAndDiversity() async throws {
        #expect(try await Self.service.search(SearchQuery(text: "piano", k: 1)).count == 1)
        let none = try await Self.service.search(
            SearchQuery(text: "piano", k: 5, filters: SearchFilters(genre: "jazz")))
        #expect(none.isEmpty)
        let perAlbum = try await Self.service.search(
            SearchQuery(text: "piano", k: 5, diversity: SearchDiversity(maximumPerAlbum: 1)))
        #expect(perAlbum.map(\.track.id) == [1, 5, 2, 4])
    }

    @Test func similarExcludesSeedsAndUnknownSeedsGiveNothing() async throws {
        let hits = try await Self.service.similar(to: [1], k: 10)
        #expect(hits.map(\.track.id) == [3, 5, 2, 4])
        #expect(try await Self.service.similar(to: [404], k: 3).isEmpty)
        #expect(try await Self.service.track(id: 404) == nil)
        #expect(try await Self.service.trackCount() == 5)
    }
}
