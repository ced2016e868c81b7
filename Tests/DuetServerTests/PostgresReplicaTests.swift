import DuetTestSupport
import Foundation
import Testing

/// Two `duet serve` replicas of one PostgreSQL catalogue: they answer alike, and a track indexed
/// afterwards is served by both within seconds, without a restart (LISTEN/NOTIFY). Queries go through
/// curl to the replicas on loopback ports the kernel picks.
@Suite("PostgresReplicaTests: duet serve replicas of a real PostgreSQL catalogue", .serialized,
       .enabled(if: PostgresCluster.isAvailable, Comment(rawValue: PostgresCluster.missingReason)))
struct PostgresReplicaTests {
    static func get(_ port: Int, _ path: String) throws -> [String: Any] {
        let result = try DuetCommand.run(executable: URL(fileURLWithPath: "/usr/bin/curl"),
                                         ["-sS", "--max-time", "30", "http://127.0.0.1:\(port)\(path)"])
        guard result.status == 0, let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any] else {
            throw ServeProcess.Failure(description: "GET \(path) on port \(port): status \(result.status), \(result.error) \(result.output)")
        }
        return object
    }

    @Test(.timeLimit(.minutes(10))) func twoReplicasAgreeAndFollowNewTracks() throws {
        let root = try SearchFixtures.temporaryFolder("replicas")
        let music = root.appendingPathComponent("music", isDirectory: true)
        let later = root.appendingPathComponent("later", isDirectory: true)
        for folder in [music, later] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        _ = try SearchFixtures.library(count: 6, seconds: 12, in: music)
        _ = try SearchFixtures.library(count: 1, seconds: 12, in: later, seedOffset: 100)
        let checkpoint = try SearchFixtures.tinyCheckpoint(in: root)
        let url = try PostgresCluster.shared().makeDatabase()
        let index = try DuetCommand.run(["index", music.path, "--model", checkpoint.path, "--db", url, "--segments", "2"])
        try #require(index.status == 0, "duet index failed: \(index.error)")

        let replicas = try (0..<2).map { try ServeProcess(db: url, log: root.appendingPathComponent("serve\($0).log")) }
        defer { replicas.forEach { $0.stop() } }
        for replica in replicas {
            let count = try replica.waitUntilListening(timeout: .seconds(180))
            #expect(count == 6, "\(replica.logText)")
        }
        func similar(_ replica: ServeProcess) throws -> [String] {
            let results = try Self.get(replica.port, "/api/similar?id=1&k=10")["results"] as? [[String: Any]] ?? []
            return results.map { "\($0["id"] ?? "?") \($0["score"] ?? "?")" }
        }
        let first = try similar(replicas[0])
        #expect(first.count == 5)
        #expect(try similar(replicas[1]) == first, "both replicas answer alike")

        let added = try DuetCommand.run(["index", later.path, "--model", checkpoint.path, "--db", url, "--segments", "2"])
        try #require(added.status == 0, "duet index failed: \(added.error)")
        let clock = ContinuousClock()
        let start = clock.now
        var counts = [0, 0]
        while clock.now - start < .seconds(30) {
            counts = try replicas.map { try Self.get($0.port, "/api/info")["tracks"] as? Int ?? 0 }
            if counts == [7, 7] { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let waited = clock.now - start
        #expect(counts == [7, 7], "the new track reached both replicas: \(counts); \(replicas.map(\.logText))")
        #expect(waited < .seconds(10), "within seconds: \(waited)")
        print("replicas: the new track was searchable on both after \(waited)")
        let afterwards = try similar(replicas[0])
        let second = try similar(replicas[1])
        #expect(afterwards.count == 6 && second == afterwards, "both replicas include the new track alike")
    }
}
