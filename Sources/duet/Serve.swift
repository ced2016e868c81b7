import ArgumentParser
import DuetCatalogPostgres
import DuetSearch
import DuetServer
import DuetStudy
import Foundation

/// `duet serve`: the JSON API and the web page over a catalogue written by `duet index`.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a catalogue: search and \"more like this\" in the browser, a JSON API, audio by id.",
        discussion: """
        Loads the catalogue's vectors and the model it was indexed with once, then answers from memory; \
        over a postgres:// catalogue it also follows new, changed and removed tracks (LISTEN/NOTIFY), so \
        any number of replicas can serve one catalogue. \
        Binds 127.0.0.1 unless --host says otherwise; any other address needs --token (at least 16 \
        characters), which the API requires as `Authorization: Bearer <token>` and the page takes as \
        /#token=<token>. Only files in the catalogue are served, by id. Routes: Docs/server.md, Docs/openapi.yaml. \
        With --study FILE (from `duet study create`), serves that listening study's page instead (Docs/study.md).
        """)

    @Option(help: DatabaseArgument.help) var db = DatabaseArgument.defaultValue
    @Option(name: .customLong("model"), help: "Checkpoint folder (default: the one the catalogue was indexed with).")
    var modelPath: String?
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(parsing: .unconditional, help: "Port to listen on (0 picks a free one).") var port = 8080
    @Option(help: "Bearer token required by every API and audio request.") var token: String?
    @Option(help: "Serve this listening study (written by `duet study create`) instead of a catalogue.") var study: String?
    @OptionGroup var encoderWeights: EncoderWeightsOptions

    var serverConfiguration: ServerConfiguration { ServerConfiguration(host: host, port: port, token: token) }

    func validate() throws {
        do { try serverConfiguration.validate() } catch { throw ValidationError(error.localizedDescription) }
        if let study {
            guard FileManager.default.fileExists(atPath: study) else {
                throw ValidationError("--study \(study): no study there; create one with `duet study create ... -o \(study)`")
            }
            return
        }
        try DatabaseArgument.requireExisting(db, hint: "build one with `duet index DIR --model RUN/best --db \(db)`")
    }

    func run() async throws {
        if let study {
            let store = try StudyStore(path: study)
            let (host, trials) = (self.host, store.plan.trials.count)
            try await runStudyServer(configuration: serverConfiguration, store: store) { port in
                // Unbuffered, as below: tests and scripts read the port from this line.
                FileHandle.standardOutput.write(Data("serving \(trials) trials on http://\(host):\(port)/ (Ctrl-C stops)\n".utf8))
            }
            return
        }
        FileHandle.standardError.write(Data("serve: loading \(CatalogDatabase.displayName(db))\n".utf8))
        let (library, follower) = try DatabaseArgument.openFollowedLibrary(db, checkpoint: modelPath, encoders: encoderWeights.encoders())
        defer { follower?.stop() }
        let service = LibrarySearchService(library: library)
        let host = self.host
        let count = library.trackCount
        try await runServer(configuration: serverConfiguration, service: service) { port in
            // Unbuffered: scripts and tests wait for this line on a pipe to learn the port (--port 0).
            FileHandle.standardOutput.write(Data("serving \(count) tracks on http://\(host):\(port)/ (Ctrl-C stops)\n".utf8))
        }
    }
}
