import ArgumentParser
import DuetCatalog
import DuetCatalogPostgres
import DuetSearch
import DuetTensor
import Foundation

/// `duet worker`: embeds the files `duet index --enqueue` queued in a PostgreSQL catalogue.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Index queued files of a PostgreSQL catalogue; run any number at once, on any machines.",
        discussion: """
        Claims batches of files with SELECT … FOR UPDATE SKIP LOCKED, renews its claims while it embeds them, \
        and stores each batch in one transaction. A worker that dies loses only its current batch, which \
        other workers take over when its claims expire (--lease). Exits when the queue is empty, unless \
        --wait. See Docs/scale-out.md.
        """)

    @Option(help: DatabaseArgument.help) var db = DatabaseArgument.defaultValue
    @Option(name: .customLong("model"), help: "Checkpoint folder (default: the one the files were enqueued with, through --root).")
    var modelPath: String?
    @Option(help: "Threads for the numerical work (default: every core, or DUET_THREADS).") var threads: Int?
    @Option(help: "Files per claim and per transaction.") var batch = 8
    @Option(help: "Seconds a claim lasts without a heartbeat (renewed every third of it).") var lease: Double = 60
    @Option(parsing: .singleValue, help: "CATALOGUE_PATH=LOCAL_PATH: read the catalogue's files under another mount point (repeatable).")
    var root: [String] = []
    @Flag(help: "Keep waiting for new work when the queue is empty.") var wait = false
    @OptionGroup var encoderWeights: EncoderWeightsOptions
    @Flag(help: "Print the summary as JSON.") var json = false

    func validate() throws {
        guard CatalogDatabase.isServer(db) else {
            throw ValidationError("duet worker needs a postgres:// catalogue (--db or \(CatalogDatabase.environmentVariable)); got \(db)")
        }
        if let threads, !(1...1_024).contains(threads) { throw ValidationError("--threads must be between 1 and 1024, got \(threads)") }
        guard (1...1_000).contains(batch) else { throw ValidationError("--batch must be between 1 and 1000, got \(batch)") }
        guard lease >= 1 && lease <= 86_400 else { throw ValidationError("--lease must be between 1 and 86400 seconds, got \(lease)") }
        do { _ = try RootMapping(root) } catch { throw ValidationError(error.localizedDescription) }
    }

    func run() throws {
        if let threads { Parallelism.setThreadCount(threads) }
        let roots = try RootMapping(root)
        let catalog = try PostgresCatalog(url: db)
        guard let identity = try catalog.modelIdentity() else {
            throw ValidationError("the catalogue \(catalog.name) has no model yet; queue files first with `duet index DIR --enqueue --db \(catalog.name)`")
        }
        let checkpoint = modelPath ?? roots.local(identity.source)
        let model = try SearchModel(
            checkpoint: URL(fileURLWithPath: checkpoint, isDirectory: true), segmentCount: identity.segmentCount,
            encoders: encoderWeights.encoders())
        var worker = IndexWorker(model: model, catalog: catalog, queue: PostgresWorkQueue(catalog: catalog), name: IndexWorker.defaultName())
        worker.roots = roots
        worker.batchSize = batch
        worker.lease = lease
        worker.waitsForWork = wait
        worker.log = { line in FileHandle.standardError.write(Data("worker: \(line)\n".utf8)) }
        let report = try worker.run()
        if json {
            let object: [String: Any] = [
                "worker": worker.name, "embedded": report.embedded, "touched": report.touched, "failed": report.failed,
                "lost": report.lost, "batches": report.batches, "reconnections": report.reconnections, "seconds": report.seconds,
            ]
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
            return
        }
        let rate = report.embedded > 0 ? String(format: " (%.2f tracks/s)", Double(report.embedded) / max(report.seconds, 1e-9)) : ""
        print("worker \(worker.name): \(report.embedded) embedded\(rate), \(report.touched) touched, \(report.failed) failed, \(report.lost) taken over by other workers; the queue is empty")
    }
}
