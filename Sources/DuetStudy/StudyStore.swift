import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#endif

/// A listening study in one SQLite file through GRDB: the plan, written once by ``create(at:plan:replacingExisting:)``,
/// and the participants and answers, written by the study server. The server opens it in WAL mode, so
/// `duet study report` can read while participants answer, and every answer is one committed transaction:
/// what was answered survives a closed browser or a killed server.
///
/// Schema (migration `v1`, Docs/study.md):
/// - `settings(key, value)`: `seed`, `split`, `trialsPerParticipant`, `created`;
/// - `systems(position, name, checkpoint)` (checkpoint NULL for the ground truth);
/// - `clips(id, dataset, item, audio, startSeconds, endSeconds)`;
/// - `prompts(id, dataset, text, truthClip)`, `retrievals(prompt, system, clip)`;
/// - `trials(id, prompt, first, second, leftSystem)` in base order;
/// - `participants(id, number, created)`;
/// - `answers(participant, trial, choice, leftSystem, rightSystem, answered)`, one per participant and trial.
public final class StudyStore: Sendable {
    public let path: String
    public let plan: StudyPlan
    private let pool: DatabasePool

    /// Writes a new study file holding `plan`. The file appears complete or not at all (written beside it,
    /// then renamed); an existing file is replaced only with `replacingExisting`.
    public static func create(at path: String, plan: StudyPlan, replacingExisting: Bool) throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: path), !replacingExisting {
            throw StudyError.cannotOpen(path: path, reason: "the file exists; pass --force to replace it")
        }
        let partial = path + ".partial"
        for suffix in ["", "-wal", "-shm"] { try? manager.removeItem(atPath: partial + suffix) }
        do {
            let queue = try DatabaseQueue(path: partial)
            try migrator.migrate(queue)
            try queue.write { db in try write(plan, to: db) }
            try queue.close()
        } catch {
            try? manager.removeItem(atPath: partial)
            throw StudyError.cannotOpen(path: partial, reason: "\(error)")
        }
        for suffix in ["-wal", "-shm"] { try? manager.removeItem(atPath: path + suffix) }
        if rename(partial, path) != 0 {
            let reason = String(cString: strerror(errno))
            try? manager.removeItem(atPath: partial)
            throw StudyError.cannotOpen(path: path, reason: reason)
        }
    }

    /// Opens an existing study and reads its plan.
    /// - Throws: ``StudyError/cannotOpen(path:reason:)``, ``StudyError/notAStudy(path:)``, ``StudyError/newerSchema(path:migration:)``.
    public init(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StudyError.cannotOpen(path: path, reason: "no such file; create it with `duet study create ... -o \(path)`")
        }
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StudyError.cannotOpen(path: path, reason: "\(error)")
        }
        let migrator = Self.migrator
        do {
            let applied = try pool.read { try migrator.appliedIdentifiers($0) }
            guard applied.contains("v1") else { throw StudyError.notAStudy(path: path) }
            if let unknown = applied.subtracting(Set(migrator.migrations)).sorted().first {
                throw StudyError.newerSchema(path: path, migration: unknown)
            }
            try migrator.migrate(pool)
            plan = try pool.read { db in try Self.readPlan(db, path: path) }
        } catch let error as StudyError {
            throw error
        } catch {
            throw StudyError.cannotOpen(path: path, reason: "\(error)")
        }
        self.pool = pool
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE settings (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                CREATE TABLE systems (position INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL UNIQUE, checkpoint TEXT);
                CREATE TABLE clips (
                    id INTEGER PRIMARY KEY NOT NULL, dataset TEXT NOT NULL, item TEXT NOT NULL, audio TEXT NOT NULL,
                    startSeconds REAL, endSeconds REAL);
                CREATE TABLE prompts (
                    id INTEGER PRIMARY KEY NOT NULL, dataset TEXT NOT NULL, text TEXT NOT NULL,
                    truthClip INTEGER NOT NULL REFERENCES clips(id));
                CREATE TABLE retrievals (
                    prompt INTEGER NOT NULL REFERENCES prompts(id), system TEXT NOT NULL REFERENCES systems(name),
                    clip INTEGER NOT NULL REFERENCES clips(id), PRIMARY KEY (prompt, system));
                CREATE TABLE trials (
                    id INTEGER PRIMARY KEY NOT NULL, prompt INTEGER NOT NULL REFERENCES prompts(id),
                    first TEXT NOT NULL, second TEXT NOT NULL, leftSystem TEXT NOT NULL);
                CREATE TABLE participants (id TEXT PRIMARY KEY NOT NULL, number INTEGER NOT NULL UNIQUE, created REAL NOT NULL);
                CREATE TABLE answers (
                    participant TEXT NOT NULL REFERENCES participants(id), trial INTEGER NOT NULL REFERENCES trials(id),
                    choice TEXT NOT NULL CHECK (choice IN ('left', 'right', 'tie')),
                    leftSystem TEXT NOT NULL, rightSystem TEXT NOT NULL, answered REAL NOT NULL,
                    PRIMARY KEY (participant, trial));
                """)
        }
        return migrator
    }

    private static func write(_ plan: StudyPlan, to db: Database) throws {
        let settings: [(String, String)] = [
            ("seed", String(plan.seed)), ("split", plan.split), ("trialsPerParticipant", String(plan.trialsPerParticipant)),
            ("created", String(Date().timeIntervalSince1970)),
        ]
        for (key, value) in settings {
            try db.execute(sql: "INSERT INTO settings (key, value) VALUES (?, ?)", arguments: [key, value])
        }
        for (position, system) in plan.systems.enumerated() {
            try db.execute(sql: "INSERT INTO systems (position, name, checkpoint) VALUES (?, ?, ?)",
                           arguments: [position, system.name, system.checkpoint])
        }
        for clip in plan.clips {
            try db.execute(
                sql: "INSERT INTO clips (id, dataset, item, audio, startSeconds, endSeconds) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [clip.id, clip.dataset, clip.item, clip.audio, clip.start, clip.end])
        }
        for prompt in plan.prompts {
            try db.execute(sql: "INSERT INTO prompts (id, dataset, text, truthClip) VALUES (?, ?, ?, ?)",
                           arguments: [prompt.id, prompt.dataset, prompt.text, prompt.truthClip])
            for system in plan.systems {
                guard let clip = prompt.clips[system.name] else { continue }
                try db.execute(sql: "INSERT INTO retrievals (prompt, system, clip) VALUES (?, ?, ?)",
                               arguments: [prompt.id, system.name, clip])
            }
        }
        for trial in plan.trials {
            try db.execute(sql: "INSERT INTO trials (id, prompt, first, second, leftSystem) VALUES (?, ?, ?, ?, ?)",
                           arguments: [trial.id, trial.prompt, trial.first, trial.second, trial.left])
        }
    }

    private static func readPlan(_ db: Database, path: String) throws -> StudyPlan {
        var settings: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT key, value FROM settings") {
            let key: String = row["key"], value: String = row["value"]
            settings[key] = value
        }
        guard let seedText = settings["seed"], let seed = UInt64(seedText), let split = settings["split"],
            let perText = settings["trialsPerParticipant"], let perParticipant = Int(perText)
        else { throw StudyError.notAStudy(path: path) }
        let systems = try Row.fetchAll(db, sql: "SELECT name, checkpoint FROM systems ORDER BY position").map {
            StudySystem(name: $0["name"], checkpoint: $0["checkpoint"])
        }
        let clips = try Row.fetchAll(db, sql: "SELECT * FROM clips ORDER BY id").map {
            StudyClip(id: $0["id"], dataset: $0["dataset"], item: $0["item"], audio: $0["audio"], start: $0["startSeconds"], end: $0["endSeconds"])
        }
        var retrievals: [Int: [String: Int]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT prompt, system, clip FROM retrievals") {
            let prompt: Int = row["prompt"], system: String = row["system"], clip: Int = row["clip"]
            retrievals[prompt, default: [:]][system] = clip
        }
        let prompts = try Row.fetchAll(db, sql: "SELECT * FROM prompts ORDER BY id").map { row -> StudyPrompt in
            let id: Int = row["id"]
            return StudyPrompt(id: id, dataset: row["dataset"], text: row["text"], truthClip: row["truthClip"], clips: retrievals[id] ?? [:])
        }
        let trials = try Row.fetchAll(db, sql: "SELECT * FROM trials ORDER BY id").map {
            StudyTrial(id: $0["id"], prompt: $0["prompt"], first: $0["first"], second: $0["second"], left: $0["leftSystem"])
        }
        // Ids are positions (1...N) in every table; a file edited by hand to break that is not a study this code can serve.
        guard systems.count >= 2, clips.enumerated().allSatisfy({ $0.element.id == $0.offset + 1 }),
            prompts.enumerated().allSatisfy({ $0.element.id == $0.offset + 1 }),
            trials.enumerated().allSatisfy({ $0.element.id == $0.offset + 1 })
        else { throw StudyError.notAStudy(path: path) }
        return StudyPlan(
            systems: systems, clips: clips, prompts: prompts, trials: trials, trialsPerParticipant: perParticipant, seed: seed,
            split: split)
    }

    // MARK: Participants and answers

    /// Registers a new participant with a random anonymous id and the next arrival number.
    public func addParticipant() throws -> StudyParticipant {
        var generator = SystemRandomNumberGenerator()
        let id = (0..<2).map { _ in String(generator.next() as UInt64, radix: 16).leftPadded(to: 16) }.joined()
        return try pool.write { db in
            let number = (try Int.fetchOne(db, sql: "SELECT MAX(number) FROM participants") ?? -1) + 1
            try db.execute(sql: "INSERT INTO participants (id, number, created) VALUES (?, ?, ?)",
                           arguments: [id, number, Date().timeIntervalSince1970])
            return StudyParticipant(id: id, number: number)
        }
    }

    public func participant(id: String) throws -> StudyParticipant? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT id, number FROM participants WHERE id = ?", arguments: [id]).map {
                StudyParticipant(id: $0["id"], number: $0["number"])
            }
        }
    }

    public func participantCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM participants") ?? 0 }
    }

    /// The trials a participant has answered.
    public func answeredTrials(participant id: String) throws -> Set<Int> {
        try pool.read { db in Set(try Int.fetchAll(db, sql: "SELECT trial FROM answers WHERE participant = ?", arguments: [id])) }
    }

    /// Every answer, in the order given.
    public func answers() throws -> [StudyAnswer] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM answers ORDER BY answered, participant, trial").compactMap { row in
                guard let choice = StudyChoice(rawValue: row["choice"]) else { return nil }
                return StudyAnswer(
                    participant: row["participant"], trial: row["trial"], choice: choice, leftSystem: row["leftSystem"],
                    rightSystem: row["rightSystem"], answered: row["answered"])
            }
        }
    }

    /// Stores one answer in its own transaction. The trial must be in the participant's schedule; the sides
    /// are resolved from that schedule, never taken from the request. Answering the same trial again with the
    /// same choice is a no-op (a retried request); with another choice it is refused.
    /// - Returns: the stored answer.
    /// - Throws: ``StudyError/unknownParticipant(_:)``, ``StudyError/unknownTrial(participant:trial:)``,
    ///   ``StudyError/conflictingAnswer(participant:trial:stored:)``.
    @discardableResult
    public func record(participant id: String, trial trialID: Int, choice: StudyChoice) throws -> StudyAnswer {
        let plan = self.plan
        return try pool.write { db in
            guard let number = try Int.fetchOne(db, sql: "SELECT number FROM participants WHERE id = ?", arguments: [id]) else {
                throw StudyError.unknownParticipant(id)
            }
            guard let scheduled = plan.schedule(participant: number).first(where: { $0.trial == trialID }),
                let trial = plan.trial(id: trialID)
            else { throw StudyError.unknownTrial(participant: id, trial: trialID) }
            if let stored = try String.fetchOne(
                db, sql: "SELECT choice FROM answers WHERE participant = ? AND trial = ?", arguments: [id, trialID])
            {
                guard stored == choice.rawValue else {
                    throw StudyError.conflictingAnswer(participant: id, trial: trialID, stored: stored)
                }
            }
            let sides = trial.sides(mirrored: scheduled.mirrored)
            let answer = StudyAnswer(
                participant: id, trial: trialID, choice: choice, leftSystem: sides.left, rightSystem: sides.right,
                answered: Date().timeIntervalSince1970)
            try db.execute(
                sql: """
                    INSERT INTO answers (participant, trial, choice, leftSystem, rightSystem, answered) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(participant, trial) DO NOTHING
                    """,
                arguments: [id, trialID, choice.rawValue, sides.left, sides.right, answer.answered])
            return answer
        }
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
