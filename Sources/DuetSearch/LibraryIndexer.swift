import DuetAudio
import DuetCatalog
import DuetFeatures
import DuetTraining
import Foundation

/// What an index run did.
public struct IndexReport: Sendable, Equatable {
    /// Audio files found under the folders.
    public var found = 0
    /// Embedded now: new files, changed files, and files retried because they changed.
    public var embedded = 0
    /// Files whose size or time changed but whose content hash did not: kept, not re-embedded.
    public var touched = 0
    /// Indexed or failed before and unchanged: skipped.
    public var unchanged = 0
    /// Dropped because they are no longer under the folders.
    public var removed = 0
    /// Files that failed in this run.
    public var newFailures: [CatalogFailure] = []
    /// Every failure on record after the run (including earlier, unchanged ones).
    public var failures: [CatalogFailure] = []
    /// Whether the catalogue held another model's vectors, which were dropped.
    public var modelChanged = false
    public var seconds: Double = 0

    public init() {}
}

/// Brings a catalogue up to date with folders of music (library code behind `duet index`).
///
/// Rules (Docs/search.md, "Incremental indexing"):
/// - a file is embedded when it is new, or its size or modification time changed and its content
///   hash did too; if only the time changed, the new time is recorded and the vector kept;
/// - a failed file is not retried until its size or modification time changes;
/// - tracks and failures under the folders whose file is gone are dropped;
/// - when the model (or the segment setting) differs from the catalogue's, everything is dropped
///   and re-embedded.
/// Work is committed in batches, each one transaction: a run killed at any moment keeps every
/// committed file, and a rerun continues with the rest. Memory holds one batch of vectors and the
/// list of paths, never the library's vectors.
public struct LibraryIndexer {
    public let model: SearchModel
    public let catalog: Catalog
    /// Files per commit (a commit also happens after `commitInterval` seconds).
    public var batchSize = 16
    public var commitInterval: Double = 5
    public var showsProgress = true

    public init(model: SearchModel, catalog: Catalog) {
        self.model = model
        self.catalog = catalog
    }

    /// What a run has to do, decided from the files on disk and the catalogue's records.
    public struct Plan: Sendable {
        /// Audio files found under the folders.
        public var found = 0
        /// Files to embed (new or changed), with what the catalogue knew of them.
        public var work: [(file: LibraryFile, previous: CatalogFileState?)] = []
        /// Indexed or failed before and unchanged.
        public var unchanged = 0
        /// Recorded paths under the folders whose file is gone.
        public var removed: [String] = []
    }

    /// Walks `folders` and compares them with the catalogue: no file is read, nothing is written.
    /// `duet index` embeds the plan's work itself; `duet index --enqueue` hands it to workers.
    public func plan(folders: [URL]) throws -> Plan {
        var plan = Plan()
        let (roots, files) = try LibraryWalker.files(under: folders)
        plan.found = files.count
        var states = try catalog.fileStates()
        for file in files {
            let previous = states.removeValue(forKey: file.path)
            if let previous, previous.size == file.size, previous.modified == file.modified {
                plan.unchanged += 1
            } else {
                plan.work.append((file, previous))
            }
        }
        // What is left in `states` was not found; drop it when it lies under one of the folders.
        plan.removed = states.keys.sorted().filter { path in roots.contains(where: { path.hasPrefix($0 == "/" ? "/" : $0 + "/") }) }
        return plan
    }

    /// Indexes the audio files under `folders` (see the type's rules).
    /// - Throws: `SearchError.notADirectory`, or the catalogue's errors; a bad audio file never throws.
    public func run(folders: [URL]) throws -> IndexReport {
        let started = Date()
        var report = IndexReport()
        try model.loadEncoders()
        report.modelChanged = try catalog.adopt(model.identity)
        let plan = try plan(folders: folders)
        let work = plan.work
        report.found = plan.found
        report.unchanged = plan.unchanged
        report.removed = plan.removed.count
        try catalog.commit(CatalogBatch(removed: plan.removed))
        var batch = CatalogBatch()

        // The bar shows tracks done, tracks per second and the time left.
        let progress = ProgressBar(label: "indexing tracks", total: work.count, enabled: showsProgress && !work.isEmpty)
        var lastCommit = Date()
        for (index, item) in work.enumerated() {
            switch process(item.file, previous: item.previous) {
            case .track(let track):
                batch.tracks.append(track)
                report.embedded += 1
            case .touched(let state):
                batch.touched.append(state)
                report.touched += 1
            case .failure(let failure):
                batch.failures.append(failure)
                report.newFailures.append(failure)
            }
            let pending = batch.tracks.count + batch.failures.count + batch.touched.count
            if pending >= batchSize || Date().timeIntervalSince(lastCommit) >= commitInterval || index == work.count - 1 {
                try catalog.commit(batch)
                batch = CatalogBatch()
                lastCommit = Date()
            }
            progress.advance()
        }
        if !work.isEmpty { progress.finish() }
        report.failures = try catalog.failures()
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    /// What embedding one file gave.
    public enum Outcome: Sendable {
        case track(CatalogTrack)
        case touched(CatalogFileState)
        case failure(CatalogFailure)
    }

    /// Embeds one file, or explains why it cannot be (a bad file never throws). A file whose content
    /// hash equals `previous`'s is only `touched`.
    public func process(_ file: LibraryFile, previous: CatalogFileState?) -> Outcome {
        func failure(_ kind: CatalogFailure.Kind, _ message: String) -> Outcome {
            .failure(CatalogFailure(path: file.path, size: file.size, modified: file.modified, kind: kind, message: message))
        }
        let hash: String
        do {
            hash = try FileContentHash.of(file.path)
        } catch {
            return failure(.unreadable, "\(file.path): cannot read the file (\(error.localizedDescription))")
        }
        if let previous, previous.contentHash == hash {
            return .touched(CatalogFileState(path: file.path, size: file.size, modified: file.modified, contentHash: hash))
        }
        do {
            let embedding = try model.embedAudio(file: URL(fileURLWithPath: file.path))
            let tags = try? AudioFileTags.read(from: URL(fileURLWithPath: file.path))
            return .track(CatalogTrack(
                path: file.path, size: file.size, modified: file.modified, contentHash: hash, duration: embedding.duration,
                title: tags?.title, artist: tags?.artist, album: tags?.album, genres: tags?.genres ?? [], year: tags?.year,
                musicnnTags: embedding.tags, vector: embedding.vector))
        } catch let error as AudioError {
            return failure(Self.kind(of: error), error.localizedDescription)
        } catch let error as TrackTooShortError {
            return failure(.tooShort, error.localizedDescription)
        } catch {
            return failure(.unreadable, "\(file.path): \(error.localizedDescription)")
        }
    }

    /// The failure kind a user sees for a decoder error.
    static func kind(of error: AudioError) -> CatalogFailure.Kind {
        switch error {
        case .unreadable: .unreadable
        case .unsupported, .resampling: .corrupt
        case .truncated: .truncated
        case .empty, .segmentOutsideAudio: .tooShort
        case .silent: .silent
        }
    }
}
