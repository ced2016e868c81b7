import DuetCatalog
@testable import DuetCatalogPostgres
import DuetTestSupport
import Foundation
import Testing

/// The shared rules (`CatalogRules`) against a real PostgreSQL server (a throw-away cluster from
/// `PostgresCluster`, one database per test), and what only a server catalogue does: schema
/// versions, concurrent openers, and precise messages for a wrong password or a missing database.
@Suite("PostgresCatalogTests: catalogue rules on a real PostgreSQL server",
       .enabled(if: PostgresCluster.isAvailable, Comment(rawValue: PostgresCluster.missingReason)))
struct PostgresCatalogTests {
    static func fresh() throws -> (PostgresCatalog, String) {
        let url = try PostgresCluster.shared().makeDatabase()
        return (try PostgresCatalog(url: url), url)
    }

    @Test func tracksRoundTripAndKeepTheirIDs() throws {
        try CatalogRules.tracksRoundTripAndKeepTheirIDs(try Self.fresh().0, "postgres")
    }

    @Test func aPathIsEitherATrackOrAFailure() throws {
        try CatalogRules.aPathIsEitherATrackOrAFailure(try Self.fresh().0, "postgres")
    }

    @Test func anotherModelDropsEverything() throws {
        try CatalogRules.anotherModelDropsEverything(try Self.fresh().0, "postgres")
    }

    @Test func manyTracksAreVisitedInOrder() throws {
        try CatalogRules.manyTracksAreVisitedInOrder(try Self.fresh().0, "postgres")
    }

    @Test func reopensWithItsSchemaAndDataAndStoresVectorsCompactly() throws {
        let (catalog, url) = try Self.fresh()
        try catalog.adopt(CatalogRules.identity)
        try catalog.commit(CatalogBatch(tracks: [CatalogRules.track("/m/a.wav")]))
        let reopened = try CatalogDatabase.open(url)
        #expect(reopened is PostgresCatalog)
        #expect(try reopened.trackCount() == 1)
        #expect(try reopened.modelIdentity() == CatalogRules.identity)
        let sizes = try catalog.session.withConnection { try $0.run("SELECT octet_length(vector) FROM tracks") }
        #expect(try sizes.map { try $0.decode(Int.self) } == [12], "3 dimensions in 12 bytes of float32")
        let versions = try catalog.session.withConnection { try $0.run("SELECT version FROM duet_schema ORDER BY version") }
        #expect(try versions.map { try $0.decode(Int.self) } == PostgresSchema.migrations.map(\.version))
    }

    @Test func manyProcessesMayOpenANewDatabaseAtOnce() throws {
        let url = try PostgresCluster.shared().makeDatabase()
        let outcomes = OutcomeList()
        let threads = (0..<4).map { _ in
            Thread {
                do { _ = try PostgresCatalog(url: url); outcomes.add(nil) } catch { outcomes.add("\(error)") }
            }
        }
        threads.forEach { $0.start() }
        let failures = outcomes.wait(for: threads.count)
        #expect(failures.isEmpty, "every opener migrates or sees the migrated schema: \(failures)")
    }

    @Test func aSchemaFromANewerDuetIsRefusedByName() throws {
        let (catalog, url) = try Self.fresh()
        try catalog.session.withConnection { try $0.execute("INSERT INTO duet_schema (version, name) VALUES (99, 'future')") }
        let error = #expect(throws: CatalogError.self) { try PostgresCatalog(url: url) }
        let message = error?.errorDescription ?? ""
        #expect(message.contains("newer Duet") && message.contains("99 future") && message.contains("/test"), "\(message)")
    }

    @Test func aWrongPasswordAndAMissingDatabaseAreNamed() throws {
        let cluster = try PostgresCluster.shared()
        _ = try cluster.makeDatabase()
        let wrong = cluster.url(database: "postgres", password: "not-the-password")
        let error = #expect(throws: PostgresCatalogError.self) { try PostgresCatalog(url: wrong) }
        guard case .authenticationFailed(let database, let user, _)? = error else {
            Issue.record("expected an authentication failure, got \(String(describing: error))")
            return
        }
        #expect(user == PostgresCluster.user && !database.contains("not-the-password") && database.contains("***"), "\(database)")
        #expect(error?.errorDescription?.contains("refused the user 'duet'") == true, "\(error?.errorDescription ?? "")")
        #expect(throws: PostgresCatalogError.noSuchDatabase(database: cluster.url(database: "nothing_here").replacingOccurrences(
            of: PostgresCluster.password, with: "***"))) {
            try PostgresCatalog(url: cluster.url(database: "nothing_here"))
        }
    }
}

/// Results handed from threads to the test.
final class OutcomeList: @unchecked Sendable {
    private let condition = NSCondition()
    private var outcomes: [String?] = []

    func add(_ failure: String?) {
        condition.lock()
        outcomes.append(failure)
        condition.signal()
        condition.unlock()
    }

    /// The failures once `count` outcomes are in.
    func wait(for count: Int) -> [String] {
        condition.lock()
        defer { condition.unlock() }
        while outcomes.count < count { condition.wait() }
        return outcomes.compactMap { $0 }
    }
}
