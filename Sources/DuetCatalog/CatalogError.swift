import Foundation

/// Why a catalogue could not be opened or read.
public enum CatalogError: LocalizedError, Equatable {
    /// The database file cannot be opened or created.
    case cannotOpen(path: String, reason: String)
    /// A stored row does not decode (a damaged or foreign database).
    case malformedRow(path: String, table: String, reason: String)
    /// The catalogue was written by a newer Duet.
    case newerSchema(path: String, migration: String)
    /// Results were made with another model than the catalogue now holds (it was re-enqueued with a
    /// new model while a worker ran); they were not stored.
    case modelChanged(path: String, catalogue: String, results: String)

    public var errorDescription: String? {
        switch self {
        case .cannotOpen(let path, let reason):
            "cannot open the catalogue \(path): \(reason); check the path and its folder's permissions"
        case .malformedRow(let path, let table, let reason):
            "the catalogue \(path) has a damaged \(table) row (\(reason)); delete it and run `duet index` again"
        case .newerSchema(let path, let migration):
            "the catalogue \(path) was written by a newer Duet (migration '\(migration)' is unknown); update Duet"
        case .modelChanged(let path, let catalogue, let results):
            "the catalogue \(path) now holds vectors of \(catalogue), not of \(results); this worker's results were dropped; restart it with the new model"
        }
    }
}
