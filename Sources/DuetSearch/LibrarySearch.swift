import DuetCatalog
import DuetPipeline
import Foundation

/// A seed of a "more like this" search: an indexed track, or an audio file (embedded on the fly
/// when it is not in the catalogue).
public enum SimilarSeed: Sendable, Equatable {
    case track(id: Int64)
    case file(URL)
}

/// What a search asks for besides the query.
public struct SearchOptions: Sendable, Equatable {
    /// Allowed result counts.
    public static let countRange = 1...10_000
    public var count: Int
    public var filter: SearchFilter
    public var diversity: Diversity

    public init(count: Int = 20, filter: SearchFilter = SearchFilter(), diversity: Diversity = Diversity()) {
        self.count = count
        self.filter = filter
        self.diversity = diversity
    }

    /// Checks every number against its range.
    /// - Throws: `SearchError.outOfRange` naming the option and its range.
    public func validate() throws {
        guard Self.countRange.contains(count) else {
            throw SearchError.outOfRange(option: "k", value: "\(count)", allowed: "between 1 and \(Self.countRange.upperBound)")
        }
        for (name, value) in [("max-per-artist", diversity.maxPerArtist), ("max-per-album", diversity.maxPerAlbum)] {
            if let value, value < 1 { throw SearchError.outOfRange(option: name, value: "\(value)", allowed: "at least 1") }
        }
        for (name, value) in [("min-duration", filter.minimumDuration), ("max-duration", filter.maximumDuration)] {
            if let value, !(value >= 0 && value.isFinite) {
                throw SearchError.outOfRange(option: name, value: "\(value)", allowed: "a number of seconds ≥ 0")
            }
        }
        if let low = filter.minimumDuration, let high = filter.maximumDuration, low > high {
            throw SearchError.outOfRange(option: "min-duration", value: "\(low)", allowed: "at most max-duration (\(high))")
        }
    }
}

/// A searchable library: the catalogue's vectors loaded once into a `VectorStore`, and the model
/// that made them for embedding queries and new files. Build one per process and share it: every
/// method is safe to call from many threads at once (a server's request handlers).
public final class LibrarySearch: Sendable {
    public let catalog: any Catalog
    /// The vectors searched; replaced as a whole by `replaceStore` when a replica follows changes.
    public var store: VectorStore { storeLock.withLock { currentStore } }
    private let storeLock = NSLock()
    nonisolated(unsafe) private var currentStore: VectorStore
    public let model: SearchModel
    /// The catalogue's name in messages (its path).
    public let name: String

    /// Loads the vectors of `catalog`, which must have been indexed with `model`.
    /// - Throws: `SearchError.emptyCatalogue`, `.modelMismatch`, or the catalogue's errors.
    public init(catalog: any Catalog, name: String, model: SearchModel) throws {
        guard let identity = try catalog.modelIdentity() else { throw SearchError.emptyCatalogue(path: name) }
        guard identity.digest == model.identity.digest, identity.dimension == model.identity.dimension else {
            throw SearchError.modelMismatch(catalogue: identity.description, model: model.identity.description)
        }
        self.catalog = catalog
        self.name = name
        self.model = model
        currentStore = try VectorStore.load(from: catalog, name: name)
    }

    /// Swaps in `store` (built by `VectorStore.applying`); searches running meanwhile finish on the
    /// store they started with.
    public func replaceStore(_ update: (VectorStore) throws -> VectorStore) rethrows {
        let current = store
        let updated = try update(current)
        storeLock.withLock { currentStore = updated }
    }

    /// Opens the SQLite catalogue at `database` with the checkpoint it was indexed with (or
    /// `checkpoint` when given), using the catalogue's segment setting for files embedded on the fly.
    public static func open(database: String, checkpoint: URL? = nil, encoders: Encoders = Encoders()) throws -> LibrarySearch {
        guard FileManager.default.fileExists(atPath: database) else { throw SearchError.emptyCatalogue(path: database) }
        return try open(catalog: try SQLiteCatalog(path: database), name: database, checkpoint: checkpoint, encoders: encoders)
    }

    /// Opens `catalog` (any backend; `name` is its path or URL without password, for messages) with
    /// the checkpoint it was indexed with, or `checkpoint` when given; `encoders` load the locked
    /// encoders (give one with `textEncoderWeightsOverride` to read a folder text tower from elsewhere).
    public static func open(catalog: any Catalog, name: String, checkpoint: URL? = nil, encoders: Encoders = Encoders()) throws -> LibrarySearch {
        guard let identity = try catalog.modelIdentity() else { throw SearchError.emptyCatalogue(path: name) }
        let folder = checkpoint ?? URL(fileURLWithPath: identity.source, isDirectory: true)
        let model = try SearchModel(checkpoint: folder, segmentCount: identity.segmentCount, encoders: encoders)
        return try LibrarySearch(catalog: catalog, name: name, model: model)
    }

    public var trackCount: Int { store.count }

    public func track(id: Int64) -> CatalogTrack? { store.track(id: id) }

    /// The tracks that best match a free-text query.
    public func search(text: String, options: SearchOptions = SearchOptions()) throws -> [SearchHit] {
        try options.validate()
        return try search(embedding: try model.embedText(text), options: options)
    }

    /// The tracks that best match a query already embedded by ``SearchModel/embedText(_:)`` (or a
    /// ``QueryEmbedder`` over it), `[dimension]`, L2-normalised.
    public func search(embedding query: [Float], options: SearchOptions = SearchOptions()) throws -> [SearchHit] {
        try options.validate()
        return try store.search(query, k: options.count, filter: options.filter, diversity: options.diversity)
    }

    /// The tracks closest to the mean direction of the seeds, `normalise(Σ seed_i / n)`; indexed
    /// seeds are left out of the results.
    /// - Throws: `SearchError.noSeeds`, `.unknownTrack`, or the errors of embedding a seed file.
    public func similar(to seeds: [SimilarSeed], options: SearchOptions = SearchOptions()) throws -> [SearchHit] {
        try options.validate()
        guard !seeds.isEmpty else { throw SearchError.noSeeds }
        var sum = [Float](repeating: 0, count: store.dimension)
        var excluded = Set<Int64>()
        for seed in seeds {
            let vector: [Float]
            switch seed {
            case .track(let id):
                guard let stored = store.vector(id: id) else { throw SearchError.unknownTrack(id: id) }
                vector = stored
                excluded.insert(id)
            case .file(let url):
                let canonical = LibraryWalker.canonicalPath(url.path) ?? url.path
                if let id = try catalog.track(path: canonical)?.id, let stored = store.vector(id: id) {
                    vector = stored
                    excluded.insert(id)
                } else {
                    vector = try model.embedAudio(file: url).vector
                }
            }
            for index in sum.indices { sum[index] += vector[index] }
        }
        return try store.search(SearchModel.normalised(sum), k: options.count, filter: options.filter,
                                diversity: options.diversity, excluding: excluded)
    }
}
