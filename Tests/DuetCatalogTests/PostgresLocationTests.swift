import DuetCatalog
import DuetCatalogPostgres
import Foundation
import Testing

/// `--db` values: which backend they choose, how URLs parse, and the messages for a bad URL and a
/// refused connection (no server needed).
@Suite("catalogue locations and connection errors")
struct PostgresLocationTests {
    @Test func urlsParseLikeLibpq() throws {
        let tcp = try PostgresLocation(url: "postgres://duet:s%40cret@db.example:6543/music")
        #expect(tcp.endpoint == .tcp(host: "db.example", port: 6543))
        #expect(tcp.user == "duet" && tcp.password == "s@cret" && tcp.database == "music")
        #expect(tcp.displayName == "postgres://duet:***@db.example:6543/music", "the password never reaches a message")
        let socket = try PostgresLocation(url: "postgresql://duet@/music?host=/run/pg&port=5433")
        #expect(socket.endpoint == .socket(path: "/run/pg/.s.PGSQL.5433"))
        let defaults = try PostgresLocation(url: "postgres://duet@")
        #expect(defaults.endpoint == .socket(path: "/var/run/postgresql/.s.PGSQL.5432") && defaults.database == "duet")
        let ipv6 = try PostgresLocation(url: "postgres://duet@[::1]:5000/db")
        #expect(ipv6.endpoint == .tcp(host: "::1", port: 5000))
    }

    @Test func badURLsSayWhatIsWrong() {
        for (url, words) in [("postgres://duet@host:99999/db", "port"), ("postgres://@host/db", "user"),
                             ("postgres://duet@host/db?sslmode=require", "TLS"), ("postgres://duet@host/db?colour=red", "unknown parameter")] {
            let error = #expect(throws: PostgresCatalogError.self) { try PostgresLocation(url: url) }
            #expect(error?.errorDescription?.contains(words) == true, "\(url): \(error?.errorDescription ?? "")")
        }
        #expect(throws: PostgresCatalogError.self) { try PostgresLocation(url: "postgres://duet:hunter2@host:x/db") }
        do {
            _ = try PostgresLocation(url: "postgres://duet:hunter2@host:x/db")
        } catch {
            #expect(!error.localizedDescription.contains("hunter2"))
        }
    }

    @Test func theFactoryChoosesTheBackend() throws {
        #expect(CatalogDatabase.isServer("postgres://a@b/c") && CatalogDatabase.isServer("postgresql://a@b/c"))
        #expect(!CatalogDatabase.isServer("library.sqlite") && !CatalogDatabase.isServer("postgres.sqlite"))
        #expect(CatalogDatabase.defaultLocation(environment: [:]) == "library.sqlite")
        #expect(CatalogDatabase.defaultLocation(environment: ["DUET_DATABASE_URL": "postgres://a@b/c"]) == "postgres://a@b/c")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duet-factory-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        #expect(try CatalogDatabase.open(folder.appendingPathComponent("x.sqlite").path) is SQLiteCatalog)
    }

    @Test func aRefusedConnectionNamesTheAddress() {
        // Port 1 on the loopback address: nothing listens there.
        #expect(throws: PostgresCatalogError.connectionRefused(database: "postgres://duet@127.0.0.1:1/music", address: "127.0.0.1:1")) {
            try PostgresCatalog(url: "postgres://duet@127.0.0.1:1/music")
        }
        let missingSocket = "postgres://duet@/music?host=/nonexistent-duet-socket"
        #expect(throws: PostgresCatalogError.connectionRefused(database: missingSocket, address: "/nonexistent-duet-socket/.s.PGSQL.5432")) {
            try PostgresCatalog(url: missingSocket)
        }
    }
}
